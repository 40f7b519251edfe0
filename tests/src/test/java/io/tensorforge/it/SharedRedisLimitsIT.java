package io.tensorforge.it;

import static io.tensorforge.it.ServingPathIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes share their limits through the real Redis on 127.0.0.1:6379: a limit and a budget
 * hold across both, not per node. Keys carry a prefix of this run and are removed afterwards.
 */
@ExtendWith(VertxExtension.class)
class SharedRedisLimitsIT {

  private static final String PREFIX = "tf-it-" + UUID.randomUUID() + ":";
  private static Platform nodeA;
  private static Platform nodeB;
  private static WebClient clientA;
  private static WebClient clientB;
  private static RedisAPI redis;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject stores = new JsonObject().put("limitsKind", "redis")
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:6379").put("keyPrefix", PREFIX));
    AdmissionLimitsIT.start(vertx, ctx, stores)
        .compose(a -> {
          nodeA = a;
          return AdmissionLimitsIT.start(vertx, ctx, stores);
        })
        .onComplete(ctx.succeeding(b -> {
          nodeB = b;
          clientA = TestPlatform.client(vertx, nodeA, 64);
          clientB = TestPlatform.client(vertx, nodeB, 64);
          redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    redis.keys(PREFIX + "*")
        .compose(keys -> {
          List<String> names = new ArrayList<>();
          keys.forEach(k -> names.add(k.toString()));
          return names.isEmpty() ? Future.succeededFuture() : redis.del(names);
        })
        .compose(v -> Future.join(nodeA.close(), nodeB.close()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRateLimitHoldsAcrossBothNodes(VertxTestContext ctx) {
    Future.all(
            AdmissionLimitsIT.fire(clientA, AdmissionLimitsIT.RPM_KEY, 5, TestPlatform.chat("metered-model")),
            AdmissionLimitsIT.fire(clientB, AdmissionLimitsIT.RPM_KEY, 5, TestPlatform.chat("metered-model")))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> all = new ArrayList<>(both.<List<HttpResponse<Buffer>>>resultAt(0));
          all.addAll(both.<List<HttpResponse<Buffer>>>resultAt(1));
          assertEquals(6, all.stream().filter(r -> r.statusCode() == 200).count(),
              "6 a minute for the tenant on both nodes together, not 6 on each");
          all.stream().filter(r -> r.statusCode() != 200).forEach(r -> assertError(r, 429, "rate_limited"));
          ctx.completeNow();
        })));
  }

  @Test
  void aBudgetHoldsAcrossBothNodesUnderARace(VertxTestContext ctx) {
    Future.all(
            AdmissionLimitsIT.fire(clientA, AdmissionLimitsIT.BUDGET_KEY, 25, TestPlatform.chat("metered-model")),
            AdmissionLimitsIT.fire(clientB, AdmissionLimitsIT.BUDGET_KEY, 25, TestPlatform.chat("metered-model")))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          List<HttpResponse<Buffer>> all = new ArrayList<>(both.<List<HttpResponse<Buffer>>>resultAt(0));
          all.addAll(both.<List<HttpResponse<Buffer>>>resultAt(1));
          assertEquals(5, all.stream().filter(r -> r.statusCode() == 200).count(), "a budget for 5 admits 5 over both nodes");
          all.stream().filter(r -> r.statusCode() != 200).forEach(r -> assertError(r, 429, "budget_exhausted"));
          ctx.completeNow();
        })));
  }
}
