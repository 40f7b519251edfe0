package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.store.redis.RedisLimitStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against the real Redis at 127.0.0.1:6379, plus what only Redis does. */
class RedisLimitStoreTest extends LimitStoreContract {

  private RedisTestSupport redis;
  private RedisLimitStore store;

  @BeforeEach
  void connect(Vertx vertx) {
    redis = new RedisTestSupport(vertx);
    store = new RedisLimitStore(redis.api, redis.prefix);
  }

  @AfterEach
  void cleanUp(VertxTestContext ctx) {
    redis.cleanUpAndClose().onComplete(ctx.succeedingThenComplete());
  }

  @Override
  protected LimitStore store() {
    return store;
  }

  @Test
  void aLimitExpiresWhenItIsFullAgain(VertxTestContext ctx) {
    String key = "expiring";
    store.acquire(key, 3, 60, 10) // 3 units at one a second: full again in 3 s
        .compose(d -> redis.api.pttl(store.redisKey(key)))
        .compose(ttl -> redis.api.get(store.redisKey(key)).map(tat -> new long[] {ttl.toLong(), Long.parseLong(tat.toString())}))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertTrue(v[0] > 2_500 && v[0] <= 3_000, "PTTL " + v[0]);
          assertTrue(v[1] > 1_600_000_000_000_000L, "the TAT is whole microseconds, not 1.7e+15: " + v[1]);
          ctx.completeNow();
        })));
  }

  @Test
  void aProbeOfAFullLimitLeavesNoKey(VertxTestContext ctx) {
    String key = "probe";
    store.acquire(key, 0, 60, 10)
        .compose(d -> redis.api.exists(java.util.List.of(store.redisKey(key))))
        .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
          assertEquals(0, n.toInteger());
          ctx.completeNow();
        })));
  }
}
