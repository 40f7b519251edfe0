package io.tensorforge.it;

import static io.tensorforge.it.ServingPathIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits, token limits and budgets on one node (memory stores), through HTTP: every refusal
 * is a 429 with Retry-After and a code that says which limit refused.
 */
@ExtendWith(VertxExtension.class)
class AdmissionLimitsIT {

  static final String RPM_KEY = "tf-rpm-key-0001";
  static final String TPM_KEY = "tf-tpm-key-0001";
  static final String BUDGET_KEY = "tf-budget-key-0001";

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    start(vertx, ctx, new JsonObject()).onComplete(ctx.succeeding(p -> {
      platform = p;
      client = TestPlatform.client(vertx, p, 64);
      ctx.completeNow();
    }));
  }

  /** The limits of this test; {@code stores} chooses memory or Redis. */
  static Future<Platform> start(Vertx vertx, VertxTestContext ctx, JsonObject stores) {
    JsonObject overrides = new JsonObject()
        .put("stores", stores)
        .put("security", new JsonObject().put("apiKeys", new JsonArray()
            .add(new JsonObject().put("key", RPM_KEY).put("tenant", "metered"))
            .add(new JsonObject().put("key", TPM_KEY).put("tenant", "wordy"))
            .add(new JsonObject().put("key", BUDGET_KEY).put("tenant", "frugal")))
            .put("adminKeys", new JsonArray().add(TestPlatform.ADMIN_KEY)))
        // a generous Redis timeout: these tests are about the limits, not about a slow Redis
        .put("limits", new JsonObject().put("burstSeconds", 60).put("redisTimeoutMs", 2_000))
        .put("tenants", new JsonObject()
            .put("metered", new JsonObject().put("requestsPerMinute", 6))
            .put("wordy", new JsonObject().put("tokensPerMinute", 100))
            // each budget request estimates 3 + 4 = 7 tokens at $1 per million: $0.000007; room for exactly 5
            .put("frugal", new JsonObject().put("budgetUsd", "0.000035")))
        .put("pricing", new JsonObject().put("models", new JsonObject()
            .put("metered-model", new JsonObject().put("inputPerMillion", "1").put("outputPerMillion", "1"))))
        .put("fleet", TestPlatform.fleet(TestPlatform.sim("meter", "metered-model", 200, 250, 64).put("queueLimit", 256)));
    return TestPlatform.start(overrides);
  }

  @Test
  void requestsPerMinuteAdmitExactlyTheBurstThen429WithRetryAfter(VertxTestContext ctx) {
    fire(client, RPM_KEY, 10, TestPlatform.chat("metered-model")).onComplete(ctx.succeeding(responses -> ctx.verify(() -> {
      List<HttpResponse<Buffer>> ok = responses.stream().filter(r -> r.statusCode() == 200).toList();
      List<HttpResponse<Buffer>> limited = responses.stream().filter(r -> r.statusCode() == 429).toList();
      assertEquals(6, ok.size(), "6 a minute with a burst of a minute: exactly 6 now");
      assertEquals(4, limited.size());
      for (HttpResponse<Buffer> r : limited) {
        assertError(r, 429, "rate_limited");
        assertTrue(Integer.parseInt(r.getHeader("Retry-After")) >= 1);
      }
      ctx.completeNow();
    })));
  }

  @Test
  void tokensPerMinuteRefuseARequestLargerThanTheBurstAndCountTokens(VertxTestContext ctx) {
    JsonObject huge = TestPlatform.chat("metered-model").put("max_tokens", 500);
    JsonObject small = TestPlatform.chat("metered-model").put("max_tokens", 40); // 3 + 40 = 43 tokens
    fire(client, TPM_KEY, 1, huge)
        .compose(tooBig -> {
          ctx.verify(() -> assertError(tooBig.get(0), 429, "token_rate_limited"));
          return fire(client, TPM_KEY, 3, small);
        })
        .onComplete(ctx.succeeding(three -> ctx.verify(() -> {
          long ok = three.stream().filter(r -> r.statusCode() == 200).count();
          assertEquals(2, ok, "100 tokens a minute hold two requests of 43 tokens, not three");
          three.stream().filter(r -> r.statusCode() != 200).forEach(r -> {
            assertError(r, 429, "token_rate_limited");
            assertTrue(r.getHeader("Retry-After") != null);
          });
          ctx.completeNow();
        })));
  }

  @Test
  void fiftyConcurrentRequestsAgainstABudgetForFiveAdmitFive(Vertx vertx, VertxTestContext ctx) {
    fire(client, BUDGET_KEY, 50, TestPlatform.chat("metered-model"))
        .compose(responses -> {
          ctx.verify(() -> {
            assertEquals(5, responses.stream().filter(r -> r.statusCode() == 200).count());
            responses.stream().filter(r -> r.statusCode() != 200).forEach(r -> {
              assertError(r, 429, "budget_exhausted");
              assertTrue(r.getHeader("Retry-After") != null);
            });
          });
          // each request is settled just after its answer: wait until all five are
          JsonObject[] last = new JsonObject[1];
          return Poll.until(vertx, () -> client.get("/api/usage").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send()
              .map(u -> {
                last[0] = u.bodyAsJsonObject();
                JsonObject frugal = last[0].getJsonObject("byTenant").getJsonObject("frugal");
                return frugal != null && frugal.getLong("requests") == 5;
              }), 5_000, "five settled requests").map(v -> last[0]);
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject budget = body.getJsonObject("budgets").getJsonObject("frugal");
          assertEquals(0, new BigDecimal("0.000035").compareTo(new BigDecimal(budget.getString("spentUsd"))), budget.encode());
          assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(budget.getString("reservedUsd"))), budget.encode());
          JsonObject frugal = body.getJsonObject("byTenant").getJsonObject("frugal");
          assertEquals(5, frugal.getLong("requests"));
          assertEquals(0, new BigDecimal("0.000035").compareTo(new BigDecimal(frugal.getString("costUsd"))));
          ctx.completeNow();
        })));
  }

  /** Sends n requests at once with one key and collects every response. */
  static Future<List<HttpResponse<Buffer>>> fire(WebClient client, String key, int n, JsonObject body) {
    List<Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(client.post("/v1/chat/completions").bearerTokenAuthentication(key).sendJsonObject(body));
    }
    return Future.all(all).map(cf -> cf.<HttpResponse<Buffer>>list());
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    platform.close().onComplete(ctx.succeedingThenComplete());
  }
}
