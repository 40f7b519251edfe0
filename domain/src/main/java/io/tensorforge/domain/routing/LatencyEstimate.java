package io.tensorforge.domain.routing;

/**
 * Observed service latency of one endpoint: an exponentially weighted average whose weight
 * decays with the time between observations, and that jumps at once to a sample above it
 * (peak-sensitive), so a sudden slowdown is believed at once while a recovery is believed
 * gradually.
 *
 * <p>Three more rules make it a routing input rather than a history:
 * <ul>
 *   <li>an endpoint with no observation yet is unknown, and unknown scores optimistically
 *       (zero), so every new endpoint gets tried;</li>
 *   <li>an observation older than {@code staleAfterMs} is forgotten the same way, so an
 *       endpoint that was slow once is probed again later instead of being shunned forever;</li>
 *   <li>a request in flight for longer than the average is evidence too: the effective latency
 *       is the larger of the two (see {@link EndpointState#serviceEstimateMs(long)}).</li>
 * </ul>
 */
public final class LatencyEstimate {

  private final double decayMs;
  private final long staleAfterMs;
  private double averageMs;
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
    if (!known || stale(nowMs) || sample >= averageMs) {
      averageMs = sample;
    } else {
      double elapsed = Math.max(0, nowMs - lastObservedAtMs);
      double keep = Math.exp(-elapsed / decayMs);
      averageMs = averageMs * keep + sample * (1 - keep);
    }
    known = true;
    lastObservedAtMs = nowMs;
  }

  /** The average in ms, or 0 while unknown or stale. */
  public double averageMs(long nowMs) {
    return known && !stale(nowMs) ? averageMs : 0;
  }

  public boolean known(long nowMs) {
    return known && !stale(nowMs);
  }

  private boolean stale(long nowMs) {
    return staleAfterMs > 0 && nowMs - lastObservedAtMs > staleAfterMs;
  }
}
