package io.tensorforge.domain.intake.queue;

import java.util.Objects;

/**
 * One request waiting in a {@link TenantFairQueue}. Times are in ms on the caller's clock; a
 * request without a deadline uses {@link Long#MAX_VALUE}.
 *
 * @param id           unique among the requests waiting in one queue
 * @param tenant       who is charged for it
 * @param priority     its class
 * @param arrivedAtMs  when it arrived; orders the requests of one tenant and class
 * @param deadlineAtMs it expires once the clock reaches this instant
 * @param costTokens   estimated service cost in tokens (input + output, already weighted by the
 *                     caller), at least 1
 */
public record QueuedRequest(long id, String tenant, Priority priority, long arrivedAtMs,
                            long deadlineAtMs, long costTokens) {

  public QueuedRequest {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(priority, "priority");
    if (costTokens < 1) {
      throw new IllegalArgumentException("costTokens must be at least 1, was " + costTokens);
    }
  }
}
