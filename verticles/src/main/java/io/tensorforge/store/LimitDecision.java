package io.tensorforge.store;

/**
 * A limit store's answer.
 *
 * @param allowed whether the units were taken
 * @param retryAfterMs 0 when allowed; when refused, the ms to wait before the same cost could be
 *     admitted (rounded up), or {@link #NEVER} when the cost exceeds the burst
 * @param remaining units that could still be taken right now
 */
public record LimitDecision(boolean allowed, long retryAfterMs, long remaining) {

  /** {@code retryAfterMs} of a cost that exceeds the burst: waiting will not help. */
  public static final long NEVER = io.tensorforge.domain.limits.Gcra.NEVER;
}
