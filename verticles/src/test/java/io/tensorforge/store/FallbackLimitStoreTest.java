package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.store.FallbackLimitStore.Mode;
import io.tensorforge.store.memory.MemoryLimitStore;
import io.tensorforge.store.redis.RedisLimitStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Redis that is down (a closed port) or hangs (a server that accepts and never answers): no
 * acquire waits longer than the timeout plus 200 ms; refuse mode refuses, local mode answers
 * from this node's memory. Calls run one after another, as from one verticle.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FallbackLimitStoreTest {

  private static final long TIMEOUT_MS = 300;
  private static final long SLACK_MS = 200;

  private final List<Redis> clients = new ArrayList<>();
  private Vertx vertx;
  private NetServer silent;
  private RedisTestSupport healthy;

  /** A call's answer and how long it took. */
  record Timed<T>(T value, long elapsedMs) {}

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    healthy = new RedisTestSupport(vertx);
    silent = vertx.createNetServer().connectHandler(socket -> { /* accepts, never answers */ });
    silent.listen(0, "127.0.0.1").onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    clients.forEach(Redis::close);
    Future.join(silent.close(), healthy.cleanUpAndClose()).onComplete(ctx.succeedingThenComplete());
  }

  private RedisLimitStore redisAt(int port) {
    Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
    clients.add(client);
    return new RedisLimitStore(RedisAPI.api(client), "tf-test:fallback:");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> Future<Timed<T>> timed(Supplier<Future<T>> call) {
    long start = System.nanoTime();
    return call.get().map(v -> new Timed<>(v, (System.nanoTime() - start) / 1_000_000));
  }

  private static <T> Future<List<Timed<T>>> inTurn(int n, Supplier<Future<T>> call) {
    return LimitStoreContract.inTurn(n, () -> timed(call));
  }

  private static void assertInTime(List<? extends Timed<?>> calls) {
    for (Timed<?> t : calls) {
      assertTrue(t.elapsedMs() <= TIMEOUT_MS + SLACK_MS, "took " + t.elapsedMs() + " ms");
    }
  }

  /** Refuse mode fails with LimitsUnavailableException; seen here as the refusal it stands for. */
  private static io.vertx.core.Future<LimitDecision> unavailableAsRefusal(io.vertx.core.Future<LimitDecision> call) {
    return call.recover(err -> err instanceof LimitsUnavailableException u
        ? io.vertx.core.Future.succeededFuture(new LimitDecision(false, u.retryAfterMs(), 0))
        : io.vertx.core.Future.failedFuture(err));
  }

  @Test
  void refuseModeRefusesAtOnceWhenRedisIsDown(VertxTestContext ctx) throws IOException {
    FallbackLimitStore store = new FallbackLimitStore(redisAt(closedPort()), Mode.REFUSE, TIMEOUT_MS, null);
    inTurn(3, () -> unavailableAsRefusal(store.acquire("k", 1, 60, 10))).onComplete(ctx.succeeding(calls -> ctx.verify(() -> {
      assertInTime(calls);
      calls.forEach(c -> assertEquals(new LimitDecision(false, 1_000, 0), c.value()));
      assertTrue(store.degraded());
      ctx.completeNow();
    })));
  }

  @Test
  void refuseModeRefusesWithinTheTimeoutWhenRedisHangs(VertxTestContext ctx) {
    FallbackLimitStore store = new FallbackLimitStore(redisAt(silent.actualPort()), Mode.REFUSE, TIMEOUT_MS, null);
    inTurn(3, () -> unavailableAsRefusal(store.acquire("k", 1, 60, 10)))
        .compose(acquires -> timed(() -> store.adjust("k", -1, 60, 10)).map(adjust -> List.of(acquires, adjust)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<Timed<LimitDecision>> calls = (List<Timed<LimitDecision>>) all.get(0);
          assertInTime(calls);
          calls.forEach(c -> assertEquals(new LimitDecision(false, 1_000, 0), c.value()));
          calls.forEach(c -> assertTrue(c.elapsedMs() >= TIMEOUT_MS - 50, "waited for the timeout: " + c.elapsedMs()));
          assertInTime(List.of((Timed<?>) all.get(1)));
          ctx.completeNow();
        })));
  }

  @Test
  void localModeAnswersFromThisNodesMemoryWhenRedisIsDown(VertxTestContext ctx) throws IOException {
    MemoryLimitStore local = new MemoryLimitStore();
    FallbackLimitStore store = new FallbackLimitStore(redisAt(closedPort()), Mode.LOCAL, TIMEOUT_MS, local);
    inTurn(3, () -> store.acquire("k", 1, 1, 2)).onComplete(ctx.succeeding(calls -> ctx.verify(() -> {
      assertInTime(calls);
      assertEquals(new LimitDecision(true, 0, 1), calls.get(0).value());
      assertEquals(new LimitDecision(true, 0, 0), calls.get(1).value());
      assertFalse(calls.get(2).value().allowed(), "the local limit holds");
      assertEquals(1, local.size());
      ctx.completeNow();
    })));
  }

  @Test
  void localModeAnswersFromMemoryWithinTheTimeoutWhenRedisHangs(VertxTestContext ctx) {
    MemoryLimitStore local = new MemoryLimitStore();
    FallbackLimitStore store = new FallbackLimitStore(redisAt(silent.actualPort()), Mode.LOCAL, TIMEOUT_MS, local);
    inTurn(2, () -> store.acquire("k", 10, 1, 10))
        .compose(calls -> store.adjust("k", -10, 1, 10)
            .compose(v -> timed(() -> store.acquire("k", 10, 1, 10)))
            .map(after -> {
              calls.add(after);
              return calls;
            }))
        .onComplete(ctx.succeeding(calls -> ctx.verify(() -> {
          assertInTime(calls);
          assertEquals(new LimitDecision(true, 0, 0), calls.get(0).value());
          assertFalse(calls.get(1).value().allowed());
          assertEquals(new LimitDecision(true, 0, 0), calls.get(2).value(), "adjust reached the local store");
          ctx.completeNow();
        })));
  }

  @Test
  void aHealthyRedisAnswersAndTheLocalStoreIsNotUsed(VertxTestContext ctx) {
    MemoryLimitStore local = new MemoryLimitStore();
    RedisLimitStore shared = new RedisLimitStore(healthy.api, healthy.prefix);
    FallbackLimitStore store = new FallbackLimitStore(shared, Mode.LOCAL, TIMEOUT_MS, local);
    store.acquire("k", 1, 1, 1)
        .compose(first -> shared.acquire("k", 1, 1, 1).map(direct -> List.of(first, direct)))
        .onComplete(ctx.succeeding(ds -> ctx.verify(() -> {
          assertEquals(new LimitDecision(true, 0, 0), ds.get(0));
          assertFalse(ds.get(1).allowed(), "the unit was taken in Redis, where every node sees it");
          assertEquals(0, local.size());
          assertFalse(store.degraded());
          ctx.completeNow();
        })));
  }

  @Test
  void invalidArgumentsAreTheCallersMistakeNotAnOutage(VertxTestContext ctx) {
    FallbackLimitStore store = new FallbackLimitStore(new RedisLimitStore(healthy.api, healthy.prefix),
        Mode.REFUSE, TIMEOUT_MS, null);
    store.acquire("k", 1, 0, 10).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err instanceof IllegalArgumentException);
      assertFalse(store.degraded());
      ctx.completeNow();
    })));
  }
}
