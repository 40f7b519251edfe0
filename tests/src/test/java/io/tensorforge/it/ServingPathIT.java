package io.tensorforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.launcher.Platform;
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

/** The data-plane routes through HTTP, end to end against the simulated fleet. */
@ExtendWith(VertxExtension.class)
class ServingPathIT {

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("gateway", new JsonObject().put("maxBodyBytes", 4096))
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("chat-a", "chat-model", 5, 20, 8),
            TestPlatform.sim("chat-b", "chat-model", 5, 20, 8),
            TestPlatform.sim("embed-a", "embed-model", 5, 20, 8),
            TestPlatform.sim("tensor-a", "tensor-model", 5, 20, 8)));
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
  void plainChatCompletionIsRoutedAndAnswered(VertxTestContext ctx) {
    post("/v1/chat/completions", TestPlatform.chat("chat-model")).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertEquals(200, resp.statusCode(), resp.bodyAsString());
      assertNotNull(resp.getHeader("X-TF-Request-Id"));
      String endpoint = resp.getHeader("X-TF-Endpoint");
      assertTrue(endpoint.equals("chat-a") || endpoint.equals("chat-b"), endpoint);
      JsonObject body = resp.bodyAsJsonObject();
      assertEquals("chat.completion", body.getString("object"));
      assertEquals("chat-model", body.getString("model"));
      assertEquals(4, body.getJsonObject("usage").getInteger("completion_tokens"));
      assertTrue(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content").length() > 0);
      ctx.completeNow();
    })));
  }

  @Test
  void streamedChatCompletionArrivesAsServerSentEvents(VertxTestContext ctx) {
    JsonObject request = TestPlatform.chat("chat-model").put("stream", true).put("max_tokens", 5);
    post("/v1/chat/completions", request).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertEquals(200, resp.statusCode(), resp.bodyAsString());
      assertTrue(resp.getHeader("Content-Type").startsWith("text/event-stream"), resp.getHeader("Content-Type"));
      assertNotNull(resp.getHeader("X-TF-Endpoint"));
      List<String> events = new ArrayList<>();
      for (String block : resp.bodyAsString().split("\n\n")) {
        if (block.startsWith("data: ")) {
          events.add(block.substring(6).trim());
        }
      }
      assertEquals("[DONE]", events.get(events.size() - 1));
      List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
      long tokenChunks = chunks.stream().filter(c -> !c.getJsonArray("choices").isEmpty()).count();
      assertEquals(5, tokenChunks);
      JsonObject last = chunks.get(chunks.size() - 1);
      assertTrue(last.getJsonArray("choices").isEmpty());
      assertEquals(5, last.getJsonObject("usage").getInteger("completion_tokens"));
      chunks.forEach(c -> assertEquals("chat.completion.chunk", c.getString("object")));
      ctx.completeNow();
    })));
  }

  @Test
  void textCompletionIsAnswered(VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("model", "chat-model").put("prompt", "Once upon a time").put("max_tokens", 3);
    post("/v1/completions", request).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertEquals(200, resp.statusCode(), resp.bodyAsString());
      assertEquals("text_completion", resp.bodyAsJsonObject().getString("object"));
      assertEquals(3, resp.bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens"));
      ctx.completeNow();
    })));
  }

  @Test
  void embeddingsAreRoutedToTheEmbeddingModel(VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("model", "embed-model").put("input", new JsonArray().add("a").add("b c"));
    post("/v1/embeddings", request).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertEquals(200, resp.statusCode(), resp.bodyAsString());
      assertEquals("embed-a", resp.getHeader("X-TF-Endpoint"));
      JsonArray data = resp.bodyAsJsonObject().getJsonArray("data");
      assertEquals(2, data.size());
      assertTrue(data.getJsonObject(0).getJsonArray("embedding").size() > 0);
      ctx.completeNow();
    })));
  }

  @Test
  void kserveV2InferenceAndReadiness(VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("inputs", new JsonArray().add(new JsonObject()
        .put("name", "input0").put("shape", new JsonArray().add(1).add(3)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1.0).add(2.0).add(3.0))));
    post("/v2/models/tensor-model/infer", request)
        .compose(infer -> {
          ctx.verify(() -> {
            assertEquals(200, infer.statusCode(), infer.bodyAsString());
            assertEquals("tensor-a", infer.getHeader("X-TF-Endpoint"));
            JsonObject body = infer.bodyAsJsonObject();
            assertEquals("tensor-model", body.getString("model_name"));
            assertEquals(3, body.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").size());
          });
          return client.get("/v2/models/tensor-model/ready").bearerTokenAuthentication(TestPlatform.KEY).send();
        })
        .compose(ready -> {
          ctx.verify(() -> assertEquals(200, ready.statusCode()));
          return client.get("/v2/models/nope/ready").bearerTokenAuthentication(TestPlatform.KEY).send();
        })
        .onComplete(ctx.succeeding(missing -> ctx.verify(() -> {
          assertError(missing, 404, "model_not_found");
          ctx.completeNow();
        })));
  }

  @Test
  void modelListNamesEveryServedModel(VertxTestContext ctx) {
    client.get("/v1/models").bearerTokenAuthentication(TestPlatform.KEY).send().onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertEquals(200, resp.statusCode());
      List<String> ids = resp.bodyAsJsonObject().getJsonArray("data").stream()
          .map(o -> ((JsonObject) o).getString("id")).sorted().toList();
      assertEquals(List.of("chat-model", "embed-model", "tensor-model"), ids);
      ctx.completeNow();
    })));
  }

  @Test
  void unknownModelIs404(VertxTestContext ctx) {
    post("/v1/chat/completions", TestPlatform.chat("no-such-model")).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 404, "model_not_found");
      assertEquals(null, resp.getHeader("X-TF-Endpoint"));
      ctx.completeNow();
    })));
  }

  @Test
  void oversizedBodyIs413(VertxTestContext ctx) {
    JsonObject big = TestPlatform.chat("chat-model").put("padding", "x".repeat(8192));
    post("/v1/chat/completions", big).onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 413, "payload_too_large");
      ctx.completeNow();
    })));
  }

  @Test
  void missingEmptyAndWrongKeysAre401(VertxTestContext ctx) {
    client.post("/v1/chat/completions").sendJsonObject(TestPlatform.chat("chat-model"))
        .compose(none -> {
          ctx.verify(() -> assertError(none, 401, "unauthenticated"));
          return client.post("/v1/chat/completions").putHeader("Authorization", "Bearer ").sendJsonObject(TestPlatform.chat("chat-model"));
        })
        .compose(empty -> {
          ctx.verify(() -> assertError(empty, 401, "unauthenticated"));
          return client.post("/v1/chat/completions").putHeader("Authorization", "Bearer  ").sendJsonObject(TestPlatform.chat("chat-model"));
        })
        .compose(blank -> {
          ctx.verify(() -> assertError(blank, 401, "unauthenticated"));
          return client.post("/v1/chat/completions").bearerTokenAuthentication("not-a-real-key").sendJsonObject(TestPlatform.chat("chat-model"));
        })
        .compose(wrong -> {
          ctx.verify(() -> assertError(wrong, 401, "invalid_api_key"));
          return client.get("/api/endpoints").bearerTokenAuthentication(TestPlatform.KEY).send();
        })
        .onComplete(ctx.succeeding(notAdmin -> ctx.verify(() -> {
          assertError(notAdmin, 403, "forbidden");
          ctx.completeNow();
        })));
  }

  @Test
  void malformedRequestsAre400(VertxTestContext ctx) {
    client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY).sendBuffer(Buffer.buffer("{not json"))
        .compose(badJson -> {
          ctx.verify(() -> assertError(badJson, 400, "invalid_json"));
          return post("/v1/chat/completions", new JsonObject().put("messages", new JsonArray()));
        })
        .compose(noModel -> {
          ctx.verify(() -> assertError(noModel, 400, "missing_model"));
          return client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY)
              .putHeader("X-TF-Deadline-Ms", "soon").sendJsonObject(TestPlatform.chat("chat-model"));
        })
        .compose(badDeadline -> {
          ctx.verify(() -> assertError(badDeadline, 400, "invalid_header"));
          return client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY)
              .putHeader("X-TF-Priority", "urgent").sendJsonObject(TestPlatform.chat("chat-model"));
        })
        .onComplete(ctx.succeeding(badPriority -> ctx.verify(() -> {
          assertError(badPriority, 400, "invalid_header");
          ctx.completeNow();
        })));
  }

  @Test
  void unknownRouteIsAJson404WithARequestId(VertxTestContext ctx) {
    client.get("/nowhere").send().onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
      assertError(resp, 404, "not_found");
      ctx.completeNow();
    })));
  }

  @Test
  void healthReadinessAndMetrics(VertxTestContext ctx) {
    client.get("/health").send()
        .compose(health -> {
          ctx.verify(() -> {
            assertEquals(200, health.statusCode());
            assertNotNull(health.getHeader("X-TF-Request-Id"));
          });
          return client.get("/ready").send();
        })
        .compose(ready -> {
          ctx.verify(() -> {
            assertEquals(200, ready.statusCode(), ready.bodyAsString());
            assertEquals("up", ready.bodyAsJsonObject().getString("status"));
          });
          return post("/v1/chat/completions", TestPlatform.chat("chat-model"));
        })
        .compose(done -> client.get("/metrics").send())
        .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
          String text = metrics.bodyAsString();
          assertTrue(text.matches("(?s).*tf_requests_total\\{endpoint=\"chat-[ab]\",model=\"chat-model\",status=\"200\"} [1-9].*"), "requests counter");
          assertTrue(text.contains("tf_request_duration_seconds_bucket{endpoint="), "latency histogram");
          assertTrue(text.contains("tf_queue_depth 0.0"), "queue depth gauge");
          assertTrue(text.contains("tf_endpoint_in_flight{endpoint=\"chat-a\"}"), "in-flight gauge");
          ctx.completeNow();
        })));
  }

  private io.vertx.core.Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return client.post(path).bearerTokenAuthentication(TestPlatform.KEY).sendJsonObject(body);
  }

  static void assertError(HttpResponse<Buffer> resp, int status, String code) {
    assertEquals(status, resp.statusCode(), resp.bodyAsString());
    assertTrue(resp.getHeader("Content-Type").startsWith("application/json"));
    JsonObject error = resp.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertTrue(error.getString("message").length() > 0);
    assertEquals(resp.getHeader("X-TF-Request-Id"), error.getString("request_id"));
  }
}
