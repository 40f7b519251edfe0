package io.tensorforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
 * A caller that goes away leaks nothing: a request waiting in the queue leaves it, and a stream
 * cut half way gives its endpoint slot back and stops the endpoint's work.
 */
@ExtendWith(VertxExtension.class)
class CallerDisconnectIT {

  private static Platform platform;
  private static WebClient client;
  private static HttpClient raw;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("narrow", "narrow-model", 2500, 2600, 1),
            TestPlatform.sim("streamer", "stream-model", 5, 10, 4).put("timePerOutputTokenMs", 20)));
    TestPlatform.start(overrides).onComplete(ctx.succeeding(p -> {
      platform = p;
      client = TestPlatform.client(vertx, p);
      raw = vertx.createHttpClient();
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    platform.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCallerThatLeavesTheQueueIsRemovedFromIt(Vertx vertx, VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> holder = chat("narrow-model");
    Poll.until(vertx, () -> intake().map(s -> s.getInteger("leasesHeld") == 1), 5_000, "the only slot to be taken")
        .compose(v -> {
          // this caller gives up after 100 ms, while it still waits for the slot
          client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY).timeout(100)
              .sendJsonObject(TestPlatform.chat("narrow-model"));
          return Poll.until(vertx, () -> intake().map(s -> s.getInteger("queueDepth") == 1), 5_000, "the second caller to wait");
        })
        .compose(v -> Poll.until(vertx, () -> intake().map(s -> s.getInteger("queueDepth") == 0), 1_000,
            "the departed caller to leave the queue long before the slot frees"))
        .compose(v -> holder)
        .compose(held -> {
          ctx.verify(() -> assertEquals(200, held.statusCode()));
          return Poll.until(vertx, () -> intake().map(s -> s.getInteger("leasesHeld") == 0), 5_000, "no slot held");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aStreamCutHalfWayReleasesItsSlotAndStopsTheEndpoint(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = TestPlatform.chat("stream-model").put("stream", true).put("max_tokens", 200);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(TestPlatform.port(platform)).setURI("/v1/chat/completions")
        .putHeader("Authorization", "Bearer " + TestPlatform.KEY).putHeader("Content-Type", "application/json");
    Promise<Void> firstChunk = Promise.promise();
    raw.request(options)
        .compose(req -> req.send(request.toBuffer()))
        .onSuccess((HttpClientResponse resp) -> resp.handler(chunk -> {
          if (firstChunk.tryComplete()) {
            resp.request().connection().close();
          }
        }));
    firstChunk.future()
        .compose(v -> Poll.until(vertx, () -> intake().map(s -> s.getInteger("leasesHeld") == 0), 3_000,
            "the slot to be released although 200 tokens take 4 s"))
        .compose(v -> Poll.until(vertx, () -> client.getAbs(platform.fleetUrls().get("streamer") + "/admin/stats").send()
            .map(r -> r.bodyAsJsonObject().getInteger("running") == 0), 3_000, "the endpoint to stop streaming"))
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> chat(String model) {
    return client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY).sendJsonObject(TestPlatform.chat(model));
  }

  private Future<JsonObject> intake() {
    return client.get("/api/intake").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send().map(HttpResponse::bodyAsJsonObject);
  }
}
