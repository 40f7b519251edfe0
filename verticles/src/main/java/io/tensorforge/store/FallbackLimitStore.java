package io.tensorforge.store;

import io.vertx.core.Future;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared limit store (Redis) with a deadline, so that no request ever waits on a slow or
 * unreachable store for longer than {@code timeoutMs}. Every call goes to the primary first;
 * when it fails or has not answered within {@code timeoutMs}, the mode decides:
 *
 * <ul>
 *   <li>{@link Mode#REFUSE} (fail closed): {@code acquire} fails at once with
 *       {@link LimitsUnavailableException}, so callers answer 503 with {@code Retry-After}
 *       ({@value #REFUSE_RETRY_AFTER_MS} ms) rather than hang; {@code adjust} completes without effect (the
 *       settlement is lost, which only matters to the current window of the limit).</li>
 *   <li>{@link Mode#LOCAL} (fail open, per node): {@code acquire} and {@code adjust} are answered
 *       by a local store (a {@link io.tensorforge.store.memory.MemoryLimitStore}) for this node
 *       alone. With {@code n} nodes a limit then admits up to {@code n} times its rate while the
 *       primary is away. The next call that the primary answers in time is answered by the
 *       primary again; the local state is not copied back.</li>
 * </ul>
 *
 * <p>A primary that answers late is not cancelled; its answer is ignored. The store logs once
 * when the primary stops answering and once when it answers again.
 *
 * <p>In {@code LOCAL} mode the local store is called from whatever context completes the
 * primary's future or fires the timer: use this store from one context (its verticle), as the
 * memory store requires.
 */
public final class FallbackLimitStore implements LimitStore {

  /** What to answer while the primary does not. */
  public enum Mode {
    REFUSE, LOCAL;

    /** {@code "refuse"} or {@code "local"}, as in the configuration. */
    public static Mode parse(String text) {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
  }

  public static final long REFUSE_RETRY_AFTER_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(FallbackLimitStore.class);

  private final LimitStore primary;
  private final Mode mode;
  private final long timeoutMs;
  private final LimitStore local;
  private final AtomicBoolean degraded = new AtomicBoolean();

  /**
   * @param primary the shared store
   * @param mode what to answer while the primary does not
   * @param timeoutMs how long to wait for the primary (> 0)
   * @param local the store that answers in {@code LOCAL} mode; may be null in {@code REFUSE} mode
   */
  public FallbackLimitStore(LimitStore primary, Mode mode, long timeoutMs, LimitStore local) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.mode = Objects.requireNonNull(mode, "mode");
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be > 0: " + timeoutMs);
    }
    if (mode == Mode.LOCAL && local == null) {
      throw new IllegalArgumentException("mode local needs a local store");
    }
    this.timeoutMs = timeoutMs;
    this.local = local;
  }

  @Override
  public Future<LimitDecision> acquire(String key, long cost, long ratePerMinute, long burst) {
    return withDeadline(primary.acquire(key, cost, ratePerMinute, burst))
        .recover(err -> {
          if (err instanceof IllegalArgumentException) {
            return Future.failedFuture(err); // the caller's mistake, not the store's
          }
          markDown(err);
          return mode == Mode.LOCAL
              ? local.acquire(key, cost, ratePerMinute, burst)
              : Future.failedFuture(new LimitsUnavailableException(REFUSE_RETRY_AFTER_MS));
        });
  }

  @Override
  public Future<Void> adjust(String key, long deltaCost, long ratePerMinute, long burst) {
    return withDeadline(primary.adjust(key, deltaCost, ratePerMinute, burst))
        .recover(err -> {
          if (err instanceof IllegalArgumentException) {
            return Future.failedFuture(err);
          }
          markDown(err);
          return mode == Mode.LOCAL ? local.adjust(key, deltaCost, ratePerMinute, burst) : Future.succeededFuture();
        });
  }

  /** Whether the last call to the primary failed or timed out. */
  public boolean degraded() {
    return degraded.get();
  }

  private <T> Future<T> withDeadline(Future<T> call) {
    return call.timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .andThen(ar -> {
          if (ar.succeeded() && degraded.compareAndSet(true, false)) {
            LOG.info("limit store answers again");
          }
        });
  }

  private void markDown(Throwable err) {
    if (degraded.compareAndSet(false, true)) {
      LOG.warn("limit store did not answer ({}); answering in mode {}", err.getClass().getSimpleName(), mode);
    }
  }
}
