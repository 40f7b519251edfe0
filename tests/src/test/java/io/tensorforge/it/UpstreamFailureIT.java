package io.tensorforge.it;

import static io.tensorforge.it.ServingPathIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An endpoint that fails becomes a 502 or 504 in the JSON shape, never its own body or address,
 * and the slot it held is given back.
 */
@ExtendWith(VertxExtension.class)
class UpstreamFailureIT {

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    int closedPort = TestPlatform.freePort();
    JsonObject overrides = new JsonObject()
        .put("routing", new JsonObject().put("endpoints", new JsonArray().add(new JsonObject()
            .put("id", "nobody-home").put("url", "http://127.0.0.1:" + closedPort)
            .put("models", new JsonArray().add("unreachable-model")).put("maxConcurrent", 4))))
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("broken", "broken-model", 2, 10, 4).put("errorRate", 1.0),
            TestPlatform.sim("sluggish", "slow-model", 2000, 2500, 4),
            TestPlatform.sim("flaky", "mixed-model", 2, 5, 8).put("errorRate", 1.0),
            TestPlatform.sim("steady", "mixed-model", 20, 40, 8)));
    TestPlatform.start(overrides).onComplete(ctx.succeeding(p -> {
      platform = p;
      client = TestPlatform.client(vertx, p);
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    platform.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anEndpointAnswering500Becomes502(VertxTestContext ctx) {
    chat("broken-model", null).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 502, "upstream_error");
      assertEquals("broken", resp.getHeader("X-TF-Endpoint"));
      assertFalse(resp.bodyAsString().contains("127.0.0.1"), "no upstream address leaks");
      ctx.completeNow();
    })));
  }

  @Test
  void anUnreachableEndpointBecomes502(VertxTestContext ctx) {
    chat("unreachable-model", null).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 502, "upstream_unavailable");
      assertFalse(resp.bodyAsString().contains("127.0.0.1"), "no upstream address leaks");
      ctx.completeNow();
    })));
  }

  @Test
  void anEndpointSlowerThanTheDeadlineBecomes504AndTheSlotIsReleased(Vertx vertx, VertxTestContext ctx) {
    chat("slow-model", "300")
        .compose(resp -> {
          ctx.verify(() -> assertError(resp, 504, "upstream_timeout"));
          return Poll.until(vertx, () -> client.get("/api/intake").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send()
              .map(r -> r.bodyAsJsonObject().getInteger("leasesHeld") == 0), 5_000, "the slot to be released");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFastFailingEndpointDoesNotAttractTheTraffic(VertxTestContext ctx) {
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 30; i++) {
      chain = chain.compose(v -> chat("mixed-model", null)).map(r -> {
        statuses.add(r.statusCode());
        return null;
      });
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      long failed = statuses.stream().filter(s -> s == 502).count();
      // each failure counts as routing.failurePenaltyMs (1 s), slower than the steady endpoint
      assertTrue(failed <= 3, "the failing endpoint kept getting traffic: " + statuses);
      assertEquals(30 - failed, statuses.stream().filter(s -> s == 200).count());
      ctx.completeNow();
    })));
  }

  private Future<HttpResponse<Buffer>> chat(String model, String deadlineMs) {
    var req = client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY);
    if (deadlineMs != null) {
      req.putHeader("X-TF-Deadline-Ms", deadlineMs);
    }
    return req.sendJsonObject(TestPlatform.chat(model));
  }
}
