package io.tensorforge.intake;

/**
 * Asks intake for a slot. {@code deadlineAtMs} is on the monotonic clock of this node
 * ({@link io.tensorforge.bus.MonotonicClock}).
 */
public record AdmitRequest(String requestId, String model, String tenant, String priority,
                           long arrivedAtMs, long deadlineAtMs, long costTokens) {}
