package io.tensorforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays scenarios/incident_001_inference_latency_misrouting.md: three endpoints of one model
 * with medians of about 5, 50 and 200 ms and capacity to spare. The router must send nearly all
 * traffic to the fastest, the least to the slowest, and move away from the fastest within
 * seconds when it degrades. The same fleet under round-robin shows the incident itself.
 */
@ExtendWith(VertxExtension.class)
class Incident001LatencyMisroutingIT {

  private static final Logger LOG = LoggerFactory.getLogger(Incident001LatencyMisroutingIT.class);
  private static final int CONCURRENCY = 8;

  private static Platform platform;
  private static WebClient client;

  /** One request's route and when it was sent, in ms after the start of its phase. */
  record Routed(String endpoint, long sentAtMs, int status) {}

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("routing", new JsonObject()
            .put("defaultStrategy", "p2c-latency")
            .put("models", new JsonObject().put("llm-rr", new JsonObject().put("strategy", "round-robin"))))
        .put("fleet", TestPlatform.fleet(
            TestPlatform.sim("fast", "llm", 5, 12, 32),
            TestPlatform.sim("medium", "llm", 50, 90, 32),
            TestPlatform.sim("slow", "llm", 200, 320, 32),
            TestPlatform.sim("rr-fast", "llm-rr", 5, 12, 32),
            TestPlatform.sim("rr-medium", "llm-rr", 50, 90, 32),
            TestPlatform.sim("rr-slow", "llm-rr", 200, 320, 32)));
    TestPlatform.start(overrides).onComplete(ctx.succeeding(p -> {
      platform = p;
      client = TestPlatform.client(vertx, p, CONCURRENCY * 2);
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    platform.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void p2cLatencySendsTrafficToTheFastestAndLeavesItWhenItDegrades(VertxTestContext ctx) {
    drive("llm", 500)
        .compose(before -> {
          Map<String, Long> counts = count(before);
          LOG.info("p2c-latency, 500 requests: {}", counts);
          ctx.verify(() -> {
            assertTrue(before.stream().allMatch(r -> r.status() == 200), "every request is served");
            assertTrue(counts.getOrDefault("fast", 0L) >= 450, "at least 90 % to the fastest: " + counts);
            assertTrue(counts.getOrDefault("slow", 0L) <= counts.getOrDefault("medium", 0L),
                "the slowest gets the fewest: " + counts);
          });
          return client.putAbs(platform.fleetUrls().get("fast") + "/admin/settings")
              .sendJsonObject(new JsonObject().put("medianMs", 400).put("p99Ms", 600));
        })
        .compose(degraded -> {
          ctx.verify(() -> assertEquals(200, degraded.statusCode(), degraded.bodyAsString()));
          return drive("llm", 300);
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          Map<String, Long> counts = count(after);
          long lastToFast = after.stream().filter(r -> r.endpoint().equals("fast")).mapToLong(Routed::sentAtMs).max().orElse(0);
          List<Routed> settled = after.stream().filter(r -> r.sentAtMs() > 2_000).toList();
          long settledToFast = settled.stream().filter(r -> r.endpoint().equals("fast")).count();
          LOG.info("after degrading 'fast' to 400 ms: {}; last request to it sent {} ms after; {} of {} requests sent after 2 s went to it",
              counts, lastToFast, settledToFast, settled.size());
          assertTrue(after.stream().allMatch(r -> r.status() == 200), "every request is served");
          // after 2 s only probes may reach it: one request each time its observation goes stale
          assertTrue(settledToFast <= 3, "traffic left the degraded endpoint within 2 s: " + settledToFast
              + " of " + settled.size() + " later requests went to it");
          assertTrue(counts.getOrDefault("medium", 0L) > after.size() / 2, "the next fastest takes over: " + counts);
          ctx.completeNow();
        })));
  }

  @Test
  void roundRobinReproducesTheIncident(VertxTestContext ctx) {
    drive("llm-rr", 300).onComplete(ctx.succeeding(routed -> ctx.verify(() -> {
      Map<String, Long> counts = count(routed);
      LOG.info("round-robin, 300 requests: {}", counts);
      assertTrue(counts.getOrDefault("rr-fast", 0L) < 150, "round-robin does not favour the fastest: " + counts);
      assertTrue(counts.getOrDefault("rr-slow", 0L) >= 75, "round-robin sends the slowest a large share: " + counts);
      ctx.completeNow();
    })));
  }

  private static Future<List<Routed>> drive(String model, int total) {
    long phaseStart = System.nanoTime();
    return LoadDriver.run(total, CONCURRENCY, i -> {
      long sentAt = (System.nanoTime() - phaseStart) / 1_000_000;
      return client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY)
          .sendJsonObject(TestPlatform.chat(model).put("max_tokens", 1))
          .map(resp -> new Routed(String.valueOf(resp.getHeader("X-TF-Endpoint")), sentAt, resp.statusCode()));
    });
  }

  private static Map<String, Long> count(List<Routed> routed) {
    return routed.stream().collect(Collectors.groupingBy(Routed::endpoint, java.util.TreeMap::new, Collectors.counting()));
  }

}
