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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The endpoint table through {@code /api/endpoints}: register, mark down and up, deregister. */
@ExtendWith(VertxExtension.class)
class EndpointAdminIT {

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("pair-a", "pair-model", 2, 10, 8),
            TestPlatform.sim("pair-b", "pair-model", 2, 10, 8),
            TestPlatform.sim("spare", "spare-model", 2, 10, 8).put("register", false)));
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
  void anEndpointMarkedDownGetsNoTrafficUntilItIsUp(VertxTestContext ctx) {
    admin("POST", "/api/endpoints/pair-a/down", null)
        .compose(down -> {
          ctx.verify(() -> {
            assertEquals(200, down.statusCode(), down.bodyAsString());
            assertFalse(down.bodyAsJsonObject().getBoolean("up"));
          });
          return sequentially(40, "pair-model");
        })
        .compose(whileDown -> {
          ctx.verify(() -> {
            assertEquals(40, whileDown.size());
            assertTrue(whileDown.stream().allMatch("pair-b"::equals), "all traffic avoids the endpoint marked down: " + whileDown);
          });
          return admin("POST", "/api/endpoints/pair-b/down", null);
        })
        .compose(bothDown -> chat("pair-model"))
        .compose(noneUp -> {
          ctx.verify(() -> {
            assertError(noneUp, 503, "no_healthy_endpoint");
            assertTrue(noneUp.getHeader("Retry-After") != null);
          });
          return admin("POST", "/api/endpoints/pair-a/up", null);
        })
        .compose(up -> admin("POST", "/api/endpoints/pair-b/up", null))
        .compose(up -> sequentially(10, "pair-model"))
        .onComplete(ctx.succeeding(afterUp -> ctx.verify(() -> {
          assertTrue(afterUp.stream().allMatch(e -> e.startsWith("pair-")), afterUp.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void registerServeAndDeregisterAnEndpoint(Vertx vertx, VertxTestContext ctx) {
    String spareUrl = platform.fleetUrls().get("spare");
    JsonObject registration = new JsonObject().put("id", "spare-1").put("url", spareUrl)
        .put("models", new JsonArray().add("spare-model")).put("maxConcurrent", 4);
    chat("spare-model")
        .compose(before -> {
          ctx.verify(() -> assertError(before, 404, "model_not_found"));
          return admin("POST", "/api/endpoints", registration);
        })
        .compose(created -> {
          ctx.verify(() -> {
            assertEquals(201, created.statusCode(), created.bodyAsString());
            assertEquals("spare-1", created.bodyAsJsonObject().getString("id"));
          });
          return admin("POST", "/api/endpoints", registration);
        })
        .compose(duplicate -> {
          ctx.verify(() -> assertError(duplicate, 409, "endpoint_exists"));
          return chat("spare-model");
        })
        .compose(served -> {
          ctx.verify(() -> {
            assertEquals(200, served.statusCode(), served.bodyAsString());
            assertEquals("spare-1", served.getHeader("X-TF-Endpoint"));
          });
          // the slot is given back just after the answer is sent: the count may lag a moment
          return Poll.until(vertx, () -> admin("GET", "/api/endpoints/spare-1", null)
              .map(one -> one.statusCode() == 200 && one.bodyAsJsonObject().getLong("served") == 1), 5_000,
              "spare-1 to count one served request");
        })
        .compose(counted -> admin("DELETE", "/api/endpoints/spare-1", null))
        .compose(deleted -> {
          ctx.verify(() -> assertEquals(200, deleted.statusCode()));
          return admin("DELETE", "/api/endpoints/spare-1", null);
        })
        .compose(again -> {
          ctx.verify(() -> assertError(again, 404, "endpoint_not_found"));
          return chat("spare-model");
        })
        .onComplete(ctx.succeeding(gone -> ctx.verify(() -> {
          assertError(gone, 404, "model_not_found");
          ctx.completeNow();
        })));
  }

  @Test
  void anInvalidRegistrationNamesTheBadFields(VertxTestContext ctx) {
    JsonObject bad = new JsonObject().put("id", "bad id!").put("url", "ftp://x").put("models", new JsonArray()).put("maxConcurrent", 0);
    admin("POST", "/api/endpoints", bad).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 400, "bad_request");
      String message = resp.bodyAsJsonObject().getJsonObject("error").getString("message");
      for (String field : List.of("id", "url", "models", "maxConcurrent")) {
        assertTrue(message.contains(field + ":"), "names " + field + ": " + message);
      }
      ctx.completeNow();
    })));
  }

  private Future<List<String>> sequentially(int n, String model) {
    List<String> endpoints = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> chat(model)).map(resp -> {
        endpoints.add(resp.statusCode() == 200 ? resp.getHeader("X-TF-Endpoint") : "status-" + resp.statusCode());
        return null;
      });
    }
    return chain.map(v -> endpoints);
  }

  private Future<HttpResponse<Buffer>> chat(String model) {
    return client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY).sendJsonObject(TestPlatform.chat(model));
  }

  private Future<HttpResponse<Buffer>> admin(String method, String path, JsonObject body) {
    var req = client.request(io.vertx.core.http.HttpMethod.valueOf(method), path).bearerTokenAuthentication(TestPlatform.ADMIN_KEY);
    return body == null ? req.send() : req.sendJsonObject(body);
  }
}
