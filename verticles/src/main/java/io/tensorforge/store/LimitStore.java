package io.tensorforge.store;

import io.vertx.core.Future;

/**
 * Port: rate limits as shared counters, one generic cell rate algorithm (GCRA, see
 * {@link io.tensorforge.domain.limits.Gcra}) per key: {@code ratePerMinute} units a minute with
 * up to {@code burst} units at once. A unit is whatever the caller counts: requests, or tokens.
 * The memory adapter holds for this node only; the Redis adapter (one atomic Lua script) makes a
 * limit hold across every node of a cluster.
 *
 * <p>Bounds (from {@code Gcra}): {@code ratePerMinute} 1..60,000,000, {@code burst}
 * 1..100,000,000, costs 0..100,000,000. Out-of-bounds arguments give a failed future
 * ({@link IllegalArgumentException}); a store never throws.
 */
public interface LimitStore {

  /**
   * Takes {@code cost} units from the limit {@code key} if they fit, all or nothing. A cost above
   * the burst is never admitted: {@code retryAfterMs} is then {@link LimitDecision#NEVER}.
   */
  Future<LimitDecision> acquire(String key, long cost, long ratePerMinute, long burst);

  /**
   * Settles an estimate with real usage: a negative {@code deltaCost} gives units back (never
   * more than the burst), a positive one charges more. Never refused: a charge may put the limit
   * in debt, and later requests wait for it.
   */
  Future<Void> adjust(String key, long deltaCost, long ratePerMinute, long burst);
}
