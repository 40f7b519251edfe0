package io.tensorforge.it;

import static io.tensorforge.it.ServingPathIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * Endpoint capacity and the bounded queue: one endpoint with one slot, so a second request
 * must wait, and a request whose deadline passes in the queue gets 504 with Retry-After and
 * leaves the queue.
 */
@ExtendWith(VertxExtension.class)
class QueueAndDeadlineIT {

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("intake", new JsonObject().put("queueCapacity", 2))
        .put("fleet", TestPlatform.fleet(TestPlatform.sim("single", "one-slot", 800, 900, 1)));
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
  void aRequestThatWaitsPastItsDeadlineGets504WithRetryAfterAndLeavesTheQueue(Vertx vertx, VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> holder = send(null);
    // once the holder has the only slot, a request with a short deadline must time out in the queue
    Poll.until(vertx, () -> snapshot().map(s -> s.getInteger("leasesHeld") == 1), 5_000, "the slot to be taken")
        .compose(v -> send("150"))
        .compose(timedOut -> {
          ctx.verify(() -> {
            assertError(timedOut, 504, "queue_timeout");
            assertNotNull(timedOut.getHeader("Retry-After"));
            assertTrue(Integer.parseInt(timedOut.getHeader("Retry-After")) >= 1);
          });
          return snapshot();
        })
        .compose(afterTimeout -> {
          ctx.verify(() -> assertEquals(0, afterTimeout.getInteger("queueDepth"), "the expired request left the queue"));
          return holder;
        })
        .compose(held -> {
          ctx.verify(() -> assertEquals(200, held.statusCode(), held.bodyAsString()));
          return Poll.until(vertx, () -> snapshot().map(s -> s.getInteger("leasesHeld") == 0 && s.getInteger("queueDepth") == 0),
              5_000, "every slot to be released");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFullQueueRefusesAtOnceWith503AndRetryAfter(Vertx vertx, VertxTestContext ctx) {
    Future<HttpResponse<Buffer>> holder = send(null);
    Poll.until(vertx, () -> snapshot().map(s -> s.getInteger("leasesHeld") == 1), 5_000, "the slot to be taken")
        .compose(v -> {
          Future<HttpResponse<Buffer>> waiting1 = send(null);
          Future<HttpResponse<Buffer>> waiting2 = send(null);
          return Poll.until(vertx, () -> snapshot().map(s -> s.getInteger("queueDepth") == 2), 5_000, "two waiting")
              .compose(w -> send(null))
              .compose(refused -> {
                ctx.verify(() -> {
                  assertError(refused, 503, "queue_full");
                  assertNotNull(refused.getHeader("Retry-After"));
                });
                return Future.all(holder, waiting1, waiting2);
              });
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 3; i++) {
            HttpResponse<Buffer> r = all.resultAt(i);
            assertEquals(200, r.statusCode(), "queued requests are served in turn: " + r.bodyAsString());
          }
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> send(String deadlineMs) {
    var req = client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY);
    if (deadlineMs != null) {
      req.putHeader("X-TF-Deadline-Ms", deadlineMs);
    }
    return req.sendJsonObject(TestPlatform.chat("one-slot"));
  }

  private Future<JsonObject> snapshot() {
    return client.get("/api/intake").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send()
        .map(HttpResponse::bodyAsJsonObject);
  }
}
