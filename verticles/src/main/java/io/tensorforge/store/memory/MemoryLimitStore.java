package io.tensorforge.store.memory;

import io.tensorforge.domain.limits.Gcra;
import io.tensorforge.store.LimitDecision;
import io.tensorforge.store.LimitStore;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Rate limits for this node only: the GCRA state (one TAT in µs per key) in a plain
 * {@link HashMap}. Answers at once, with already-completed futures.
 *
 * <p><b>Not thread-safe.</b> The map belongs to whoever calls this store: call it from one
 * context only (the verticle that owns it), as any verticle state. Keys whose limit is full
 * again are forgotten, at the latest by the sweep that runs every {@value #SWEEP_EVERY} calls.
 */
public final class MemoryLimitStore implements LimitStore {

  static final int SWEEP_EVERY = 1024;

  private final LongSupplier nowMicros;
  private final Map<String, Long> tats = new HashMap<>();
  private int callsSinceSweep;

  /** A store on this node's monotonic clock. */
  public MemoryLimitStore() {
    this(() -> System.nanoTime() / 1_000L);
  }

  /** A store on the given clock, in microseconds (tests pass a clock they move). */
  public MemoryLimitStore(LongSupplier nowMicros) {
    this.nowMicros = Objects.requireNonNull(nowMicros, "nowMicros");
  }

  @Override
  public Future<LimitDecision> acquire(String key, long cost, long ratePerMinute, long burst) {
    try {
      Objects.requireNonNull(key, "key");
      long now = nowMicros.getAsLong();
      Gcra.Decision d = Gcra.decideAtMicros(tats.getOrDefault(key, 0L), now, cost, ratePerMinute, burst);
      store(key, d.newTatMicros(), now);
      return Future.succeededFuture(new LimitDecision(d.allowed(), d.retryAfterMs(), d.remaining()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> adjust(String key, long deltaCost, long ratePerMinute, long burst) {
    try {
      Objects.requireNonNull(key, "key");
      Gcra.checkLimit(ratePerMinute, burst);
      long now = nowMicros.getAsLong();
      store(key, Gcra.adjustAtMicros(tats.getOrDefault(key, 0L), now, deltaCost, ratePerMinute), now);
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** How many keys hold state (for tests and metrics). */
  public int size() {
    return tats.size();
  }

  private void store(String key, long tat, long now) {
    if (tat > now) {
      tats.put(key, tat);
    } else {
      tats.remove(key); // a TAT in the past is the same as no state
    }
    if (++callsSinceSweep >= SWEEP_EVERY) {
      callsSinceSweep = 0;
      tats.values().removeIf(t -> t <= now);
    }
  }
}
