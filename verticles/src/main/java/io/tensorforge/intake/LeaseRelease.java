package io.tensorforge.intake;

/** Gives a slot back: how long the endpoint took to answer, and whether it answered well. */
public record LeaseRelease(long leaseId, double latencyMs, boolean success) {}
