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
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis goes away under two nodes that keep their limits in it: no request hangs. The node set
 * to {@code refuse} answers 503 {@code limits_unavailable} with Retry-After within its timeout;
 * the node set to {@code local} keeps serving on its own memory limits. The Redis here is a
 * private {@code redis-server} this test starts on a free port and kills; the machine's own Redis
 * is never touched.
 */
@ExtendWith(VertxExtension.class)
class RedisOutageIT {

  private static final String KEY = "tf-outage-key-0001";
  private static Process redisProcess;
  private static int redisPort;
  private static Platform refusing;
  private static Platform local;
  private static WebClient refusingClient;
  private static WebClient localClient;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    redisPort = TestPlatform.freePort();
    redisProcess = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no")
        .redirectErrorStream(true)
        .redirectOutput(new File("target/redis-outage-it.log"))
        .start();
    RedisAPI probe = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:" + redisPort));
    Poll.until(vertx, () -> probe.ping(List.of()).map(pong -> true).otherwise(false), 10_000, "the private redis-server")
        .compose(v -> node("refuse"))
        .compose(p -> {
          refusing = p;
          return node("local");
        })
        .onComplete(ctx.succeeding(p -> {
          local = p;
          refusingClient = TestPlatform.client(vertx, refusing);
          localClient = TestPlatform.client(vertx, local);
          ctx.completeNow();
        }));
  }

  private static Future<Platform> node(String onRedisFailure) {
    JsonObject overrides = new JsonObject()
        .put("stores", new JsonObject().put("limitsKind", "redis")
            .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redisPort).put("keyPrefix", "outage:")))
        .put("limits", new JsonObject().put("redisTimeoutMs", 200).put("onRedisFailure", onRedisFailure))
        .put("security", new JsonObject().put("apiKeys", new JsonArray()
            .add(new JsonObject().put("key", KEY).put("tenant", "limited"))))
        .put("tenants", new JsonObject().put("limited", new JsonObject().put("requestsPerMinute", 600)))
        .put("fleet", TestPlatform.fleet(TestPlatform.sim("outage-" + onRedisFailure, "outage-model", 2, 5, 8)));
    return TestPlatform.start(overrides);
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    if (redisProcess.isAlive()) {
      redisProcess.destroyForcibly();
    }
    Future.join(refusing.close(), local.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void whenRedisDiesNoRequestHangs(Vertx vertx, VertxTestContext ctx) {
    Future.all(chat(refusingClient), chat(localClient))
        .compose(healthy -> {
          ctx.verify(() -> {
            assertEquals(200, healthy.<HttpResponse<Buffer>>resultAt(0).statusCode(), "limits checked in Redis");
            assertEquals(200, healthy.<HttpResponse<Buffer>>resultAt(1).statusCode());
          });
          // killing a process and waiting for it blocks: off the event loop
          return vertx.executeBlocking(() -> {
            redisProcess.destroyForcibly();
            return redisProcess.waitFor(10, TimeUnit.SECONDS);
          });
        })
        .compose(stopped -> {
          ctx.verify(() -> assertTrue(stopped, "redis-server stopped"));
          long started = System.nanoTime();
          return Future.all(chat(refusingClient), chat(localClient)).map(r -> {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            ctx.verify(() -> assertTrue(tookMs < 2_000, "answered in " + tookMs + " ms, not hung"));
            return r;
          });
        })
        .onComplete(ctx.succeeding(down -> ctx.verify(() -> {
          HttpResponse<Buffer> refused = down.resultAt(0);
          assertError(refused, 503, "limits_unavailable");
          assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1);
          assertEquals(200, down.<HttpResponse<Buffer>>resultAt(1).statusCode(), "the local node serves on its own limits");
          ctx.completeNow();
        })));
  }

  private static Future<HttpResponse<Buffer>> chat(WebClient client) {
    return client.post("/v1/chat/completions").bearerTokenAuthentication(KEY).sendJsonObject(TestPlatform.chat("outage-model"));
  }
}
