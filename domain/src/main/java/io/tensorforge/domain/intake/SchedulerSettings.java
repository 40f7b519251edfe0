package io.tensorforge.domain.intake;

/**
 * @param queueCapacity most requests waiting at once, over all models
 * @param latencyDecayMs how fast observed latency forgets a sample below its average
 * @param staleAfterMs an endpoint not heard from for this long counts as unknown again (and
 *     so gets probed); 0 never forgets
 */
public record SchedulerSettings(int queueCapacity, double latencyDecayMs, long staleAfterMs) {

  public SchedulerSettings {
    if (queueCapacity < 0) {
      throw new IllegalArgumentException("queueCapacity must not be negative");
    }
    if (latencyDecayMs <= 0) {
      throw new IllegalArgumentException("latencyDecayMs must be positive");
    }
    if (staleAfterMs < 0) {
      throw new IllegalArgumentException("staleAfterMs must not be negative");
    }
  }
}
