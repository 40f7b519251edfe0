package io.tensorforge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensorforge.store.redis.RedisBudgetStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against the real Redis at 127.0.0.1:6379, plus what only Redis does. */
class RedisBudgetStoreTest extends BudgetStoreContract {

  private RedisTestSupport redis;
  private RedisBudgetStore store;

  @BeforeEach
  void connect(Vertx vertx) {
    redis = new RedisTestSupport(vertx);
    store = new RedisBudgetStore(redis.api, redis.prefix);
  }

  @AfterEach
  void cleanUp(VertxTestContext ctx) {
    redis.cleanUpAndClose().onComplete(ctx.succeedingThenComplete());
  }

  @Override
  protected BudgetStore store() {
    return store;
  }

  /** Above 2^53 pico-USD (about 9,007 USD) a Lua number would no longer be exact. */
  @Test
  void amountsAboveTwoToTheFiftyThirdPicoDollarsStayExactInRedis(VertxTestContext ctx) {
    String tenant = "big";
    BigDecimal budget = new BigDecimal("9007.199254740993"); // 2^53 + 1 pico-USD
    store.reserve(tenant, new BigDecimal("9007.199254740992"), budget)
        .compose(a -> store.reserve(tenant, new BigDecimal("0.000000000001"), budget))
        .compose(b -> store.reserve(tenant, new BigDecimal("0.000000000001"), budget).map(c -> List.of(b, c)))
        .compose(ds -> redis.api.hget(store.accountKey(tenant), "committed").map(c -> List.of(ds.get(0), ds.get(1), c.toString())))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(true, ((BudgetDecision) all.get(0)).allowed());
          assertEquals(false, ((BudgetDecision) all.get(1)).allowed());
          assertEquals("9007199254740993", all.get(2));
          ctx.completeNow();
        })));
  }
}
