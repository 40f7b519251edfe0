package io.tensorforge.store;

import io.vertx.core.Future;

/**
 * Port: shared counters for rate limits and budgets. Memory holds for this node only; the Redis
 * adapter (atomic Lua scripts) makes a limit hold across every node of a cluster.
 */
public interface LimitStore {

  /**
   * Takes {@code cost} units from the bucket {@code key} that refills {@code ratePerMinute} units
   * a minute up to {@code burst}. Answers 0 when taken, or the ms to wait before it could be.
   */
  Future<Long> tryTake(String key, long cost, long ratePerMinute, long burst);
}
