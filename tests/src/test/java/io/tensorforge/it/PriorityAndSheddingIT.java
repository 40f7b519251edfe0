package io.tensorforge.it;

import static io.tensorforge.it.ServingPathIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Overload through HTTP: one endpoint with one slot and a queue of three. Higher classes are
 * served first, lower classes are shed to make room (sheddable before standard, critical
 * never), and a request the queue cannot serve before its deadline is refused at once.
 */
@ExtendWith(VertxExtension.class)
class PriorityAndSheddingIT {

  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    JsonObject overrides = new JsonObject()
        .put("intake", new JsonObject().put("queueCapacity", 3))
        .put("fleet", TestPlatform.fleet(TestPlatform.sim("lone", "lone-model", 300, 330, 1)));
    TestPlatform.start(overrides).onComplete(ctx.succeeding(p -> {
      platform = p;
      client = TestPlatform.client(vertx, p, 32);
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    platform.close().onComplete(ctx.succeedingThenComplete());
  }

  /** A response with the order in which it completed. */
  record Done(String name, int order, HttpResponse<Buffer> response) {}

  @Test
  void higherClassesGoFirstAndLowerClassesAreShedInOrder(Vertx vertx, VertxTestContext ctx) {
    List<Done> done = Collections.synchronizedList(new ArrayList<>());
    List<Future<Done>> all = new ArrayList<>();
    // the holder takes the only slot; then three sheddable fill the queue
    all.add(send("holder", "standard", null, done));
    waitFor(vertx, 1, 0)
        .compose(v -> {
          for (int i = 1; i <= 3; i++) {
            all.add(send("sheddable-" + i, "sheddable", null, done));
          }
          return waitFor(vertx, 1, 3);
        })
        .compose(v -> {
          // two standard arrivals each shed the newest sheddable
          all.add(send("standard-1", "standard", null, done));
          return waitFor(vertx, 1, 3);
        })
        .compose(v -> {
          all.add(send("standard-2", "standard", null, done));
          return waitFor(vertx, 1, 3);
        })
        .compose(v -> {
          // a critical arrival sheds the last sheddable; then the queue holds critical + 2 standard
          all.add(send("critical-1", "critical", null, done));
          return waitFor(vertx, 1, 3);
        })
        .compose(v -> {
          // another standard cannot shed an equal class: the queue is full
          all.add(send("standard-3", "standard", null, done));
          return Future.all(new ArrayList<>(all));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          for (String shed : List.of("sheddable-3", "sheddable-2", "sheddable-1")) {
            HttpResponse<Buffer> r = byName(done, shed).response();
            assertError(r, 503, "shed");
            assertTrue(Integer.parseInt(r.getHeader("Retry-After")) >= 1);
          }
          HttpResponse<Buffer> full = byName(done, "standard-3").response();
          assertError(full, 503, "queue_full");
          List<String> served = done.stream().filter(d -> d.response().statusCode() == 200)
              .sorted((a, b) -> Integer.compare(a.order(), b.order())).map(Done::name).toList();
          assertEquals(List.of("holder", "critical-1", "standard-1", "standard-2"), served,
              "the critical request overtakes the standard ones that waited longer");
          ctx.completeNow();
        })));
  }

  @Test
  void aRequestTheQueueCannotServeBeforeItsDeadlineIsRefusedAtOnce(Vertx vertx, VertxTestContext ctx) {
    List<Done> done = Collections.synchronizedList(new ArrayList<>());
    // learn the endpoint's speed first (about 300 ms), then hold the slot and queue two behind it
    send("warm", "standard", null, done)
        .compose(w -> {
          send("holder", "standard", null, done);
          return waitFor(vertx, 1, 0);
        })
        .compose(v -> {
          send("waiting-1", "standard", null, done);
          send("waiting-2", "standard", null, done);
          return waitFor(vertx, 1, 2);
        })
        .compose(v -> {
          long started = System.nanoTime();
          return send("hurried", "standard", "200", done).map(d -> {
            ctx.verify(() -> {
              assertError(d.response(), 503, "deadline_unreachable");
              assertTrue(Integer.parseInt(d.response().getHeader("Retry-After")) >= 1);
              assertTrue((System.nanoTime() - started) / 1_000_000 < 150, "refused at once, not after waiting");
            });
            return d;
          });
        })
        .compose(v -> send("critical", "critical", "900", done))
        .onComplete(ctx.succeeding(critical -> ctx.verify(() -> {
          assertEquals(200, critical.response().statusCode(), "a critical request only waits behind critical ones");
          ctx.completeNow();
        })));
  }

  private static Done byName(List<Done> done, String name) {
    return done.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
  }

  private Future<Done> send(String name, String priority, String deadlineMs, List<Done> done) {
    var req = client.post("/v1/chat/completions").bearerTokenAuthentication(TestPlatform.KEY).putHeader("X-TF-Priority", priority);
    if (deadlineMs != null) {
      req.putHeader("X-TF-Deadline-Ms", deadlineMs);
    }
    return req.sendJsonObject(TestPlatform.chat("lone-model")).map(r -> {
      synchronized (done) {
        Done d = new Done(name, done.size(), r);
        done.add(d);
        return d;
      }
    });
  }

  private Future<Void> waitFor(Vertx vertx, int leases, int queued) {
    return Poll.until(vertx, () -> client.get("/api/intake").bearerTokenAuthentication(TestPlatform.ADMIN_KEY).send()
            .map(r -> r.bodyAsJsonObject().getInteger("leasesHeld") == leases && r.bodyAsJsonObject().getInteger("queueDepth") == queued),
        5_000, leases + " lease(s) and " + queued + " waiting");
  }
}
