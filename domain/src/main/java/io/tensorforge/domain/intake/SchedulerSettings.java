package io.tensorforge.domain.intake;

import java.util.Map;

/**
 * @param queueCapacity most requests waiting at once, over all models and tenants
 * @param perTenantQueueCapacity most requests one tenant may have waiting at once
 * @param latencyDecayMs how fast observed latency forgets a sample below its average
 * @param staleAfterMs an endpoint not heard from for this long counts as unknown again (and
 *     so gets probed); 0 never forgets
 * @param failurePenaltyMs the latency an endpoint failure counts as, at least: a failing
 *     endpoint must not look fast
 * @param tenantWeights fair-share weight by tenant; others weigh 1
 */
public record SchedulerSettings(int queueCapacity, int perTenantQueueCapacity, double latencyDecayMs, long staleAfterMs,
                                double failurePenaltyMs, Map<String, Double> tenantWeights) {

  public SchedulerSettings {
    if (queueCapacity < 0 || perTenantQueueCapacity < 0) {
      throw new IllegalArgumentException("queue capacities must not be negative");
    }
    if (latencyDecayMs <= 0) {
      throw new IllegalArgumentException("latencyDecayMs must be positive");
    }
    if (staleAfterMs < 0) {
      throw new IllegalArgumentException("staleAfterMs must not be negative");
    }
    if (failurePenaltyMs < 0) {
      throw new IllegalArgumentException("failurePenaltyMs must not be negative");
    }
    tenantWeights = Map.copyOf(tenantWeights);
  }

  /** One queue bound for everyone, the default failure penalty, equal weights. */
  public SchedulerSettings(int queueCapacity, double latencyDecayMs, long staleAfterMs) {
    this(queueCapacity, queueCapacity, latencyDecayMs, staleAfterMs, 1_000, Map.of());
  }
}
