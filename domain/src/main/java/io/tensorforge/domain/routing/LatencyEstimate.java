package io.tensorforge.domain.routing;

/**
 * Observed service latency of one endpoint, as a routing input rather than a history.
 *
 * <ul>
 *   <li>The average is exponentially weighted by time: a sample's weight is
 *       {@code 1 - exp(-Δt / decayMs)}, so the estimate reflects about the last {@code decayMs}
 *       of samples whatever the request rate.</li>
 *   <li>A sample above the estimate is believed at once (peak-sensitive), so a sudden slowdown
 *       moves traffic away at the next completion; the peak then fades by
 *       {@code exp(-age / decayMs)}, so one outlier does not brand an endpoint slow for long.</li>
 *   <li>An endpoint with no observation yet is unknown, and unknown scores optimistically
 *       (zero), so every new endpoint gets tried; an observation older than
 *       {@code staleAfterMs} is forgotten the same way, so an endpoint that was slow is probed
 *       again later instead of being shunned forever.</li>
 *   <li>A request in flight for longer than the estimate is evidence too: the effective
 *       latency is the larger of the two (see {@link EndpointState#serviceEstimateMs(long)}).</li>
 * </ul>
 */
public final class LatencyEstimate {

  private final double decayMs;
  private final long staleAfterMs;
  private double averageMs;
  private double peakMs;
  private long peakAtMs;
  private long lastObservedAtMs;
  private boolean known;

  public LatencyEstimate(double decayMs, long staleAfterMs) {
    if (decayMs <= 0) {
      throw new IllegalArgumentException("decayMs must be positive");
    }
    this.decayMs = decayMs;
    this.staleAfterMs = staleAfterMs;
  }

  public void observe(double latencyMs, long nowMs) {
    double sample = Math.max(0, latencyMs);
    if (!known || stale(nowMs)) {
      averageMs = sample;
      peakMs = sample;
      peakAtMs = nowMs;
    } else {
      double estimate = averageMs(nowMs);
      double keep = Math.exp(-Math.max(0, nowMs - lastObservedAtMs) / decayMs);
      averageMs = averageMs * keep + sample * (1 - keep);
      if (sample >= estimate) {
        peakMs = sample;
        peakAtMs = nowMs;
      }
    }
    known = true;
    lastObservedAtMs = nowMs;
  }

  /**
   * The estimate in ms, or 0 while unknown or stale: the average, or the last peak if that is
   * higher after fading by {@code exp(-age / decayMs)}.
   */
  public double averageMs(long nowMs) {
    if (!known || stale(nowMs)) {
      return 0;
    }
    double fadedPeak = peakMs * Math.exp(-Math.max(0, nowMs - peakAtMs) / decayMs);
    return Math.max(averageMs, fadedPeak);
  }

  public boolean known(long nowMs) {
    return known && !stale(nowMs);
  }

  private boolean stale(long nowMs) {
    return staleAfterMs > 0 && nowMs - lastObservedAtMs > staleAfterMs;
  }
}
