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
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays scenarios/incident_003_allocation_cost_explosion.md: prices are per million tokens,
 * costs are exact, budgets reserve the right amount, and the usage report adds up to the cent
 * and beyond.
 */
@ExtendWith(VertxExtension.class)
class Incident003CostExplosionIT {

  private static final String PAYG_KEY = "tf-payg-key-0001";
  private static final String SIZES_KEY = "tf-sizes-key-0001";
  private static final String LEDGER_KEY_A = "tf-ledger-key-000a";
  private static final String LEDGER_KEY_B = "tf-ledger-key-000b";
  private static final Map<String, BigDecimal[]> PRICES = Map.of(
      "priced-model", new BigDecimal[] {new BigDecimal("3.00"), new BigDecimal("15.00")},
      "cheap-model", new BigDecimal[] {new BigDecimal("0.15"), new BigDecimal("0.60")});

  private static Platform platform;
  private static WebClient client;
  private static Vertx vertx;

  @BeforeAll
  static void start(Vertx testVertx, VertxTestContext ctx) {
    vertx = testVertx;
    JsonObject pricing = new JsonObject();
    PRICES.forEach((model, p) -> pricing.put(model, new JsonObject()
        .put("inputPerMillion", p[0].toPlainString()).put("outputPerMillion", p[1].toPlainString())));
    JsonObject overrides = new JsonObject()
        .put("gateway", new JsonObject().put("maxBodyBytes", 1_048_576))
        .put("security", new JsonObject().put("apiKeys", new JsonArray()
            .add(new JsonObject().put("key", PAYG_KEY).put("tenant", "payg"))
            .add(new JsonObject().put("key", SIZES_KEY).put("tenant", "sizes"))
            .add(new JsonObject().put("key", LEDGER_KEY_A).put("tenant", "ledger"))
            .add(new JsonObject().put("key", LEDGER_KEY_B).put("tenant", "ledger"))))
        .put("tenants", new JsonObject().put("payg", new JsonObject().put("budgetUsd", "0.021")))
        .put("pricing", new JsonObject().put("models", pricing))
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("priced", "priced-model", 2, 5, 16).put("timePerOutputTokenMs", 0),
            TestPlatform.sim("cheap", "cheap-model", 2, 5, 16).put("timePerOutputTokenMs", 0)));
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
  void aBudgetOfTwoCentsHoldsExactlyTwoRequestsOfOnePointZeroFiveCents(VertxTestContext ctx) {
    JsonObject request = chat("priced-model", 4_000, 500); // 1,000 in + 500 out: $0.0105
    send(PAYG_KEY, request)
        .compose(first -> {
          ctx.verify(() -> assertEquals(200, first.statusCode(), first.bodyAsString()));
          return send(PAYG_KEY, request);
        })
        .compose(second -> {
          ctx.verify(() -> assertEquals(200, second.statusCode(), second.bodyAsString()));
          return send(PAYG_KEY, request);
        })
        .compose(third -> {
          ctx.verify(() -> {
            assertError(third, 429, "budget_exhausted");
            String message = third.bodyAsJsonObject().getJsonObject("error").getString("message");
            assertTrue(message.contains("$0.0105"), message);
            assertTrue(message.contains("has $0 left") || message.contains("has $0.0"), message);
          });
          return usageWhen("payg", 2);
        })
        .onComplete(ctx.succeeding(usage -> ctx.verify(() -> {
          JsonObject payg = usage.getJsonObject("byTenant").getJsonObject("payg");
          assertEquals(2, payg.getLong("requests"));
          assertEquals(2_000, payg.getLong("inputTokens"));
          assertEquals(1_000, payg.getLong("outputTokens"));
          assertDecimal("0.021", payg.getString("costUsd"));
          assertDecimal("0.021", usage.getJsonObject("budgets").getJsonObject("payg").getString("spentUsd"));
          ctx.completeNow();
        })));
  }

  @Test
  void verySmallAndVeryLargeRequestsCostExactlyWhatTheirTokensSay(VertxTestContext ctx) {
    send(SIZES_KEY, chat("cheap-model", 2, 1))
        .compose(tiny -> {
          ctx.verify(() -> {
            assertEquals(200, tiny.statusCode(), tiny.bodyAsString());
            assertDecimal("0.00000075", costOf("cheap-model", tiny.bodyAsJsonObject().getJsonObject("usage")).toPlainString());
          });
          return send(SIZES_KEY, chat("priced-model", 100_000, 4_000));
        })
        .compose(large -> {
          ctx.verify(() -> {
            assertEquals(200, large.statusCode(), large.bodyAsString());
            JsonObject u = large.bodyAsJsonObject().getJsonObject("usage");
            assertEquals(25_000, u.getLong("prompt_tokens"));
            assertEquals(4_000, u.getLong("completion_tokens"));
            assertDecimal("0.135", costOf("priced-model", u).toPlainString());
          });
          return usageWhen("sizes", 2);
        })
        .onComplete(ctx.succeeding(usage -> ctx.verify(() -> {
          JsonObject sizes = usage.getJsonObject("byTenant").getJsonObject("sizes");
          assertDecimal("0.13500075", sizes.getString("costUsd"));
          ctx.completeNow();
        })));
  }

  @Test
  void theUsageReportAddsUpToTheSumOfItsRequestsExactly(VertxTestContext ctx) {
    SplittableRandom random = new SplittableRandom(3);
    BigDecimal[] expected = {BigDecimal.ZERO};
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 24; i++) {
      String key = i % 2 == 0 ? LEDGER_KEY_A : LEDGER_KEY_B;
      String model = i % 3 == 0 ? "cheap-model" : "priced-model";
      JsonObject request = chat(model, 1 + random.nextInt(3_000), 1 + random.nextInt(300));
      chain = chain.compose(v -> send(key, request)).map(resp -> {
        ctx.verify(() -> assertEquals(200, resp.statusCode(), resp.bodyAsString()));
        expected[0] = expected[0].add(costOf(model, resp.bodyAsJsonObject().getJsonObject("usage")));
        return null;
      });
    }
    chain.compose(v -> usageWhen("ledger", 24)).onComplete(ctx.succeeding(usage -> ctx.verify(() -> {
      JsonObject ledger = usage.getJsonObject("byTenant").getJsonObject("ledger");
      assertEquals(24, ledger.getLong("requests"));
      assertDecimal(expected[0].toPlainString(), ledger.getString("costUsd"));
      BigDecimal byKey = BigDecimal.ZERO;
      long requests = 0;
      JsonArray rows = usage.getJsonArray("rows");
      for (int i = 0; i < rows.size(); i++) {
        JsonObject row = rows.getJsonObject(i);
        if ("ledger".equals(row.getString("tenant"))) {
          byKey = byKey.add(new BigDecimal(row.getString("costUsd")));
          requests += row.getLong("requests");
        }
      }
      assertDecimal(expected[0].toPlainString(), byKey.toPlainString());
      assertEquals(24, requests);
      BigDecimal byModel = BigDecimal.ZERO;
      for (String model : usage.getJsonObject("byModel").fieldNames()) {
        byModel = byModel.add(new BigDecimal(usage.getJsonObject("byModel").getJsonObject(model).getString("costUsd")));
      }
      assertDecimal(usage.getJsonObject("total").getString("costUsd"), byModel.toPlainString());
      ctx.completeNow();
    })));
  }

  /** What the endpoint's reported usage costs: tokens × USD per million ÷ 1,000,000, exactly. */
  private static BigDecimal costOf(String model, JsonObject usage) {
    BigDecimal[] p = PRICES.get(model);
    return BigDecimal.valueOf(usage.getLong("prompt_tokens")).multiply(p[0])
        .add(BigDecimal.valueOf(usage.getLong("completion_tokens")).multiply(p[1]))
        .movePointLeft(6);
  }

  private static void assertDecimal(String expected, String actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(actual)), "expected $" + expected + ", got $" + actual);
  }

  private static JsonObject chat(String model, int promptChars, int maxTokens) {
    return new JsonObject().put("model", model).put("max_tokens", maxTokens)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x".repeat(promptChars))));
  }

  private Future<HttpResponse<Buffer>> send(String key, JsonObject body) {
    return client.post("/v1/chat/completions").bearerTokenAuthentication(key).sendJsonObject(body);
  }

  private Future<JsonObject> usage() {
    return client.get("/api/usage").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send().map(HttpResponse::bodyAsJsonObject);
  }

  /**
   * The usage report once it counts {@code requests} of the tenant: a request is settled just
   * after its answer is sent, so the report may lag the caller by a moment.
   */
  private Future<JsonObject> usageWhen(String tenant, long requests) {
    JsonObject[] last = new JsonObject[1];
    return Poll.until(vertx, () -> usage().map(u -> {
          last[0] = u;
          JsonObject t = u.getJsonObject("byTenant").getJsonObject(tenant);
          return t != null && t.getLong("requests") >= requests;
        }), 5_000, tenant + " to show " + requests + " requests")
        .map(v -> last[0]);
  }
}
