package io.tensorforge.domain.intake;

/** One request waiting for, or holding, an endpoint slot. Times are in ms on the caller's clock. */
public record Ticket(long id, String model, long arrivedAtMs, long deadlineAtMs) {

  public boolean expiredAt(long nowMs) {
    return nowMs >= deadlineAtMs;
  }
}
