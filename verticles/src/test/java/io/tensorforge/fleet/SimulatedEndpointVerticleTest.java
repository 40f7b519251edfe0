package io.tensorforge.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SimulatedEndpointVerticleTest {

  private static final String LLAMA = "llama-3-8b";
  private static final String EMBED = "embed-small";

  private WebClient client;
  private HttpClient rawClient;
  private Vertx vertx;
  private SimulatedEndpointVerticle fast;

  static SimEndpointSettings settings(String id, int maxConcurrent, int queueLimit, double medianMs, double p99Ms,
      double tpotMs) {
    return new SimEndpointSettings(id, "127.0.0.1", 0, List.of(LLAMA, EMBED), maxConcurrent, queueLimit,
        medianMs, p99Ms, tpotMs, 0.0, 16, true, 42);
  }

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    rawClient = vertx.createHttpClient();
    fast = new SimulatedEndpointVerticle(settings("fast-1", 4, 4, 5, 10, 1));
    vertx.deployVerticle(fast).onComplete(ctx.succeedingThenComplete());
  }

  private Future<SimulatedEndpointVerticle> deploy(SimEndpointSettings s) {
    SimulatedEndpointVerticle v = new SimulatedEndpointVerticle(s);
    return vertx.deployVerticle(v).map(id -> v);
  }

  private Future<HttpResponse<Buffer>> post(SimulatedEndpointVerticle v, String path, JsonObject body) {
    return client.postAbs(v.baseUrl() + path).sendJsonObject(body);
  }

  private Future<HttpResponse<Buffer>> get(SimulatedEndpointVerticle v, String path) {
    return client.getAbs(v.baseUrl() + path).send();
  }

  private static JsonObject chat(String model, int maxTokens, boolean stream, String... contents) {
    JsonArray messages = new JsonArray();
    for (String c : contents) {
      messages.add(new JsonObject().put("role", "user").put("content", c));
    }
    return new JsonObject().put("model", model).put("messages", messages).put("max_tokens", maxTokens).put("stream", stream);
  }

  /** The JSON payloads of an SSE body, "[DONE]" kept as a string. */
  private static List<Object> events(String body) {
    List<Object> out = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      assertTrue(event.startsWith("data: "), "an SSE data line: " + event);
      String data = event.substring("data: ".length());
      out.add(data.equals("[DONE]") ? data : new JsonObject(data));
    }
    assertTrue(body.endsWith("\n\n"), "the stream ends with a blank line");
    return out;
  }

  /** Polls {@code probe} every 20 ms until {@code done} holds or the deadline passes. */
  private <T> Future<T> pollUntil(java.util.function.Supplier<Future<T>> probe, Predicate<T> done, long deadlineMs) {
    long deadline = System.currentTimeMillis() + deadlineMs;
    Promise<T> promise = Promise.promise();
    Runnable[] attempt = new Runnable[1];
    attempt[0] = () -> probe.get().onComplete(ar -> {
      if (ar.succeeded() && done.test(ar.result())) {
        promise.complete(ar.result());
      } else if (System.currentTimeMillis() > deadline) {
        promise.fail(new AssertionError("condition not met before the deadline; last: "
            + (ar.succeeded() ? ar.result() : ar.cause())));
      } else {
        vertx.setTimer(20, id -> attempt[0].run());
      }
    });
    attempt[0].run();
    return promise.future();
  }

  private Future<JsonObject> stats(SimulatedEndpointVerticle v) {
    return get(v, "/admin/stats").map(HttpResponse::bodyAsJsonObject);
  }

  private static Function<String, Integer> gauge(String metrics) {
    return name -> {
      for (String line : metrics.split("\n")) {
        if (line.startsWith(name + "{model_name=\"" + LLAMA + "\"} ")) {
          return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    };
  }

  @Test
  void chatCompletionAnswersWithTheRequestedTokensAndUsage(VertxTestContext ctx) {
    // 25 + 8 characters: ceil(33 / 4) = 9 prompt tokens
    post(fast, "/v1/chat/completions", chat(LLAMA, 5, false, "hello world, how are you?", "be brief"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
          JsonObject body = r.bodyAsJsonObject();
          assertEquals("chat.completion", body.getString("object"));
          assertEquals(LLAMA, body.getString("model"));
          assertTrue(body.getString("id").startsWith("chatcmpl-"));
          JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
          assertEquals("assistant", message.getString("role"));
          assertEquals(5, message.getString("content").split(" ").length);
          assertEquals(new JsonObject().put("prompt_tokens", 9).put("completion_tokens", 5).put("total_tokens", 14),
              body.getJsonObject("usage"));
          ctx.completeNow();
        })));
  }

  @Test
  void defaultMaxTokensApplyWhenTheRequestGivesNone(VertxTestContext ctx) {
    JsonObject body = chat(LLAMA, 1, false, "hi");
    body.remove("max_tokens");
    post(fast, "/v1/chat/completions", body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(16, r.bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens"));
      ctx.completeNow();
    })));
  }

  @Test
  void streamSendsOneChunkPerTokenThenUsageThenDone(VertxTestContext ctx) {
    post(fast, "/v1/chat/completions", chat(LLAMA, 4, true, "abcdefgh"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertEquals("text/event-stream", r.getHeader("Content-Type"));
          assertEquals("chunked", r.getHeader("Transfer-Encoding"));
          List<Object> events = events(r.bodyAsString());
          assertEquals(6, events.size(), events.toString());
          StringBuilder text = new StringBuilder();
          String id = ((JsonObject) events.get(0)).getString("id");
          for (int i = 0; i < 4; i++) {
            JsonObject chunk = (JsonObject) events.get(i);
            assertEquals("chat.completion.chunk", chunk.getString("object"));
            assertEquals(id, chunk.getString("id"));
            assertEquals(LLAMA, chunk.getString("model"));
            JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
            text.append(choice.getJsonObject("delta").getString("content"));
            assertEquals(i == 3 ? "length" : null, choice.getString("finish_reason"));
          }
          assertEquals("assistant", ((JsonObject) events.get(0)).getJsonArray("choices").getJsonObject(0)
              .getJsonObject("delta").getString("role"));
          assertEquals(4, text.toString().split(" ").length, text.toString());
          JsonObject usage = (JsonObject) events.get(4);
          assertEquals(new JsonArray(), usage.getJsonArray("choices"));
          assertEquals(new JsonObject().put("prompt_tokens", 2).put("completion_tokens", 4).put("total_tokens", 6),
              usage.getJsonObject("usage"));
          assertEquals("[DONE]", events.get(5));
          ctx.completeNow();
        })));
  }

  @Test
  void textCompletionsPlainAndStreamed(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("model", LLAMA).put("prompt", new JsonArray().add("abcd").add("abcdefgh"))
        .put("max_tokens", 3);
    post(fast, "/v1/completions", body)
        .compose(plain -> {
          ctx.verify(() -> {
            assertEquals(200, plain.statusCode(), plain.bodyAsString());
            JsonObject json = plain.bodyAsJsonObject();
            assertEquals("text_completion", json.getString("object"));
            assertEquals(3, json.getJsonArray("choices").getJsonObject(0).getString("text").split(" ").length);
            assertEquals(3, json.getJsonObject("usage").getInteger("prompt_tokens"));
            assertEquals(6, json.getJsonObject("usage").getInteger("total_tokens"));
          });
          return post(fast, "/v1/completions", body.copy().put("stream", true).put("prompt", "abcd"));
        })
        .onComplete(ctx.succeeding(streamed -> ctx.verify(() -> {
          List<Object> events = events(streamed.bodyAsString());
          assertEquals(5, events.size(), events.toString());
          assertEquals("text_completion", ((JsonObject) events.get(0)).getString("object"));
          assertNotNull(((JsonObject) events.get(0)).getJsonArray("choices").getJsonObject(0).getString("text"));
          assertEquals(4, ((JsonObject) events.get(3)).getJsonObject("usage").getInteger("total_tokens"));
          assertEquals("[DONE]", events.get(4));
          ctx.completeNow();
        })));
  }

  @Test
  void badRequestsGetOpenAiErrors(VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> unknownModel = post(fast, "/v1/chat/completions", chat("gpt-9", 1, false, "x"));
    Future<HttpResponse<Buffer>> invalidJson = client.postAbs(fast.baseUrl() + "/v1/chat/completions")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"model\": "));
    Future<HttpResponse<Buffer>> noModel = post(fast, "/v1/chat/completions", new JsonObject().put("messages", new JsonArray()));
    Future<HttpResponse<Buffer>> badMaxTokens = post(fast, "/v1/chat/completions", chat(LLAMA, 0, false, "x"));
    Future<HttpResponse<Buffer>> noRoute = get(fast, "/v1/nothing");
    Future.all(unknownModel, invalidJson, noModel, badMaxTokens, noRoute).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertError(unknownModel.result(), 404, "model_not_found", "not_found_error");
      assertTrue(unknownModel.result().bodyAsJsonObject().getJsonObject("error").getString("message").contains("gpt-9"));
      assertError(invalidJson.result(), 400, "invalid_json", "invalid_request_error");
      assertError(noModel.result(), 400, "missing_model", "invalid_request_error");
      assertError(badMaxTokens.result(), 400, "bad_request", "invalid_request_error");
      assertError(noRoute.result(), 404, "not_found", "not_found_error");
      ctx.completeNow();
    })));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code, String type) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertEquals(type, error.getString("type"));
    assertNotNull(error.getString("message"));
  }

  @Test
  void embeddingsAreDeterministicVectors(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("model", EMBED).put("input", new JsonArray().add("alpha").add("beta").add("alpha"));
    post(fast, "/v1/embeddings", body).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode(), r.bodyAsString());
      JsonObject json = r.bodyAsJsonObject();
      assertEquals("list", json.getString("object"));
      assertEquals(EMBED, json.getString("model"));
      JsonArray data = json.getJsonArray("data");
      assertEquals(3, data.size());
      for (int i = 0; i < 3; i++) {
        assertEquals(i, data.getJsonObject(i).getInteger("index"));
        assertEquals("embedding", data.getJsonObject(i).getString("object"));
        assertEquals(8, data.getJsonObject(i).getJsonArray("embedding").size());
      }
      assertEquals(data.getJsonObject(0).getJsonArray("embedding"), data.getJsonObject(2).getJsonArray("embedding"));
      assertTrue(!data.getJsonObject(0).getJsonArray("embedding").equals(data.getJsonObject(1).getJsonArray("embedding")));
      assertEquals(new JsonObject().put("prompt_tokens", 5).put("total_tokens", 5), json.getJsonObject("usage"));
      ctx.completeNow();
    })));
  }

  @Test
  void listsItsModels(VertxTestContext ctx) {
    get(fast, "/v1/models").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject json = r.bodyAsJsonObject();
      assertEquals("list", json.getString("object"));
      JsonArray data = json.getJsonArray("data");
      assertEquals(2, data.size());
      assertEquals(LLAMA, data.getJsonObject(0).getString("id"));
      assertEquals("model", data.getJsonObject(0).getString("object"));
      assertEquals("tensorforge-sim", data.getJsonObject(0).getString("owned_by"));
      assertEquals(EMBED, data.getJsonObject(1).getString("id"));
      ctx.completeNow();
    })));
  }

  @Test
  void kserveInferDoublesTheDataAndReadyKnowsTheModels(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("id", "req-7").put("inputs", new JsonArray().add(new JsonObject()
        .put("name", "input0").put("shape", new JsonArray().add(1).add(3)).put("datatype", "FP32")
        .put("data", new JsonArray().add(1).add(2.5).add(-3))));
    Future<HttpResponse<Buffer>> infer = post(fast, "/v2/models/" + LLAMA + "/infer", body);
    Future<HttpResponse<Buffer>> inferUnknown = post(fast, "/v2/models/nope/infer", body);
    Future<HttpResponse<Buffer>> inferBad = post(fast, "/v2/models/" + LLAMA + "/infer", new JsonObject().put("inputs", 3));
    Future<HttpResponse<Buffer>> ready = get(fast, "/v2/models/" + LLAMA + "/ready");
    Future<HttpResponse<Buffer>> notReady = get(fast, "/v2/models/nope/ready");
    Future.all(infer, inferUnknown, inferBad, ready, notReady).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertEquals(200, infer.result().statusCode(), infer.result().bodyAsString());
      JsonObject json = infer.result().bodyAsJsonObject();
      assertEquals(LLAMA, json.getString("model_name"));
      assertEquals("req-7", json.getString("id"));
      JsonObject out = json.getJsonArray("outputs").getJsonObject(0);
      assertEquals("output0", out.getString("name"));
      assertEquals(new JsonArray().add(1).add(3), out.getJsonArray("shape"));
      assertEquals("FP32", out.getString("datatype"));
      JsonArray data = out.getJsonArray("data");
      assertEquals(2.0, data.getDouble(0));
      assertEquals(5.0, data.getDouble(1));
      assertEquals(-6.0, data.getDouble(2));
      assertEquals(404, inferUnknown.result().statusCode());
      assertEquals(400, inferBad.result().statusCode());
      assertTrue(inferBad.result().bodyAsJsonObject().getString("error").contains("inputs"));
      assertEquals(200, ready.result().statusCode());
      assertEquals(404, notReady.result().statusCode());
      ctx.completeNow();
    })));
  }

  @Test
  void heldRequestsShowAsRunningAndWaitingAndAFullQueueAnswers503(VertxTestContext ctx) {
    // one slot, two places in the queue, every request takes 5 s: three requests fill it all
    deploy(settings("slow-1", 1, 2, 5000, 5000, 0)).compose(slow -> {
      for (int i = 0; i < 3; i++) {
        post(slow, "/v1/chat/completions", chat(LLAMA, 1, false, "hold"));
      }
      return pollUntil(() -> get(slow, "/metrics").map(HttpResponse::bodyAsString),
          m -> gauge(m).apply("vllm:num_requests_running") == 1 && gauge(m).apply("vllm:num_requests_waiting") == 2, 5000)
          .compose(metrics -> {
            ctx.verify(() -> {
              assertTrue(metrics.contains("# TYPE vllm:num_requests_running gauge\n"), metrics);
              assertTrue(metrics.contains("# TYPE vllm:num_requests_waiting gauge\n"), metrics);
              assertTrue(metrics.contains("vllm:num_requests_running{model_name=\"" + EMBED + "\"} 0\n"), metrics);
            });
            return post(slow, "/v1/chat/completions", chat(LLAMA, 1, false, "one too many"));
          })
          .compose(full -> {
            ctx.verify(() -> {
              assertError(full, 503, "queue_full", "service_unavailable_error");
              assertEquals("1", full.getHeader("Retry-After"));
            });
            return stats(slow);
          })
          .compose(stats -> {
            ctx.verify(() -> {
              assertEquals(1, stats.getInteger("rejected"));
              assertEquals(1, stats.getInteger("running"));
              assertEquals(2, stats.getInteger("waiting"));
            });
            // more slots at run time: the waiting requests start at once
            return client.putAbs(slow.baseUrl() + "/admin/settings").sendJsonObject(new JsonObject().put("maxConcurrent", 3));
          })
          .compose(put -> {
            ctx.verify(() -> assertEquals(200, put.statusCode(), put.bodyAsString()));
            return stats(slow);
          })
          .compose(stats -> get(slow, "/metrics").map(m -> {
            ctx.verify(() -> {
              assertEquals(3, stats.getInteger("running"));
              assertEquals(0, stats.getInteger("waiting"));
              assertEquals(3, gauge(m.bodyAsString()).apply("vllm:num_requests_running"));
              assertEquals(0, gauge(m.bodyAsString()).apply("vllm:num_requests_waiting"));
            });
            return m;
          }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aClientThatLeavesMidStreamFreesItsSlot(VertxTestContext ctx) {
    // 1000 tokens at 50 ms each would take 50 s: the client leaves after the first chunk
    JsonObject body = chat(LLAMA, 1000, true, "long story");
    deploy(settings("streamer-1", 1, 1, 1, 1, 50)).compose(v -> rawClient
        .request(HttpMethod.POST, v.actualPort(), "127.0.0.1", "/v1/chat/completions")
        .compose(req -> req.putHeader("Content-Type", "application/json").send(body.encode()))
        .compose(resp -> firstChunk(resp).compose(chunk -> {
          ctx.verify(() -> assertTrue(chunk.toString().startsWith("data: {"), chunk.toString()));
          return resp.request().connection().close();
        }))
        .compose(closed -> pollUntil(() -> stats(v), s -> s.getInteger("running") == 0, 5000))
        .map(s -> {
          ctx.verify(() -> {
            assertEquals(1, s.getInteger("cancelled"));
            assertEquals(0, s.getInteger("served"));
          });
          return s;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Buffer> firstChunk(HttpClientResponse resp) {
    Promise<Buffer> first = Promise.promise();
    resp.handler(first::tryComplete);
    resp.exceptionHandler(first::tryFail);
    return first.future();
  }

  @Test
  void adminChangesLatencyAndErrorsOfLaterRequests(VertxTestContext ctx) {
    JsonObject request = chat(LLAMA, 1, false, "x");
    long[] t = new long[1];
    t[0] = System.nanoTime();
    post(fast, "/v1/chat/completions", request)
        .compose(before -> {
          long ms = (System.nanoTime() - t[0]) / 1_000_000;
          ctx.verify(() -> {
            assertEquals(200, before.statusCode());
            assertTrue(ms < 400, "fast before the change: " + ms + " ms");
          });
          return client.putAbs(fast.baseUrl() + "/admin/settings")
              .sendJsonObject(new JsonObject().put("medianMs", 400).put("p99Ms", 400));
        })
        .compose(put -> {
          ctx.verify(() -> {
            assertEquals(200, put.statusCode(), put.bodyAsString());
            assertEquals(400.0, put.bodyAsJsonObject().getDouble("medianMs"));
          });
          t[0] = System.nanoTime();
          return post(fast, "/v1/chat/completions", request);
        })
        .compose(after -> {
          long ms = (System.nanoTime() - t[0]) / 1_000_000;
          ctx.verify(() -> {
            assertEquals(200, after.statusCode());
            assertTrue(ms >= 400, "slow after the change: " + ms + " ms");
          });
          return client.putAbs(fast.baseUrl() + "/admin/settings")
              .sendJsonObject(new JsonObject().put("medianMs", 1).put("p99Ms", 2).put("errorRate", 1.0));
        })
        .compose(put -> post(fast, "/v1/chat/completions", request))
        .compose(failed -> {
          ctx.verify(() -> assertError(failed, 500, "internal_error", "server_error"));
          return get(fast, "/admin/settings");
        })
        .compose(current -> {
          ctx.verify(() -> {
            JsonObject s = current.bodyAsJsonObject();
            assertEquals(1.0, s.getDouble("errorRate"));
            assertEquals(1.0, s.getDouble("medianMs"));
            assertEquals(fast.actualPort(), s.getInteger("port"));
            assertEquals("fast-1", s.getString("id"));
          });
          return stats(fast);
        })
        .onComplete(ctx.succeeding(stats -> ctx.verify(() -> {
          assertEquals(2, stats.getInteger("served"));
          assertEquals(1, stats.getInteger("errors"));
          assertEquals(0, stats.getInteger("running"));
          ctx.completeNow();
        })));
  }

  @Test
  void adminRejectsBadChangesNamingTheKey(VertxTestContext ctx) {
    List<Future<HttpResponse<Buffer>>> puts = new ArrayList<>();
    List<String> keys = List.of("errorRate", "p99Ms", "maxConcurrent", "bogus");
    List<JsonObject> bodies = List.of(new JsonObject().put("errorRate", 2), new JsonObject().put("p99Ms", 1),
        new JsonObject().put("maxConcurrent", 0), new JsonObject().put("bogus", 1));
    for (JsonObject b : bodies) {
      puts.add(client.putAbs(fast.baseUrl() + "/admin/settings").sendJsonObject(b));
    }
    Future.all(puts).compose(all -> get(fast, "/admin/settings")).onComplete(ctx.succeeding(current -> ctx.verify(() -> {
      for (int i = 0; i < keys.size(); i++) {
        HttpResponse<Buffer> r = puts.get(i).result();
        assertEquals(400, r.statusCode(), r.bodyAsString());
        assertTrue(r.bodyAsJsonObject().getJsonObject("error").getString("message").contains(keys.get(i)), r.bodyAsString());
      }
      assertEquals(0.0, current.bodyAsJsonObject().getDouble("errorRate"), "nothing applied");
      assertEquals(4, current.bodyAsJsonObject().getInteger("maxConcurrent"));
      ctx.completeNow();
    })));
  }
}
