package io.tensorforge.domain.intake;

import io.tensorforge.domain.intake.queue.Priority;
import java.util.Objects;

/**
 * One request waiting for, or holding, an endpoint slot. Times are in ms on the caller's clock.
 *
 * @param costTokens the estimated service in tokens, charged to the tenant's fair share
 */
public record Ticket(long id, String model, String tenant, Priority priority, long arrivedAtMs, long deadlineAtMs,
                     long costTokens) {

  public Ticket {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(priority, "priority");
    costTokens = Math.max(1, costTokens);
  }

  /** A standard-class ticket of one anonymous tenant, costing one token. */
  public Ticket(long id, String model, long arrivedAtMs, long deadlineAtMs) {
    this(id, model, "-", Priority.STANDARD, arrivedAtMs, deadlineAtMs, 1);
  }

  public boolean expiredAt(long nowMs) {
    return nowMs >= deadlineAtMs;
  }
}
