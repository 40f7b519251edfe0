package io.tensorforge.intake;

import io.tensorforge.domain.intake.queue.Priority;

/**
 * Asks intake for a slot. {@code deadlineAtMs} is on the monotonic clock of this node
 * ({@link io.tensorforge.bus.MonotonicClock}).
 */
public record AdmitRequest(String requestId, String model, String tenant, Priority priority,
                           long arrivedAtMs, long deadlineAtMs, long costTokens) {}
