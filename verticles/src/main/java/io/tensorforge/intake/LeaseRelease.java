package io.tensorforge.intake;

/**
 * Gives a slot back: how the request ended, how long the endpoint took to answer, and the
 * tokens it really served ({@code -1} when unknown), to correct the fair-share charge.
 */
public record LeaseRelease(long leaseId, Outcome outcome, double latencyMs, long servedTokens) {

  /** How a leased request ended, for what the router may learn from it. */
  public enum Outcome {
    /** The endpoint answered in full: its latency is learnt. */
    SERVED,
    /** The endpoint failed (error, timeout, broken stream): it counts against the endpoint. */
    FAILED,
    /** The caller went away: nothing is learnt. */
    ABANDONED
  }
}
