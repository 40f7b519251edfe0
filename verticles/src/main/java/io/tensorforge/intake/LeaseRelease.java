package io.tensorforge.intake;

/**
 * Gives a slot back: how long the endpoint took to answer, whether it answered well, and the
 * tokens it really served ({@code -1} when unknown), to correct the fair-share charge.
 */
public record LeaseRelease(long leaseId, double latencyMs, boolean success, long servedTokens) {}
