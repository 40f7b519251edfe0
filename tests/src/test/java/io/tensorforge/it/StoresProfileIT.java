package io.tensorforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.launcher.Platform;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The postgres-redis profile against the real servers on this machine (127.0.0.1:5432 and
 * :6379, which CI makes sure are up): the node connects to both and reports them ready, and it
 * refuses to start when a store it is configured for cannot be reached.
 */
@ExtendWith(VertxExtension.class)
class StoresProfileIT {

  private WebClient client;

  @Test
  void thePostgresRedisProfileConnectsToBothStores(Vertx vertx, VertxTestContext ctx) {
    TestPlatform.start("postgres-redis", new JsonObject()).onComplete(ctx.succeeding(p -> {
      client = TestPlatform.client(vertx, p);
      client.get("/ready").send().onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
        assertEquals(200, resp.statusCode(), resp.bodyAsString());
        JsonObject stores = resp.bodyAsJsonObject().getJsonObject("checks").getJsonObject("stores");
        assertEquals("postgres", stores.getString("kind"));
        assertEquals("redis", stores.getString("limitsKind"));
        assertEquals("up", stores.getJsonObject("checks").getString("postgres"));
        assertEquals("up", stores.getJsonObject("checks").getString("redis"));
        p.close().onComplete(ctx.succeedingThenComplete());
      })));
    }));
  }

  @Test
  void anUnreachableStoreStopsTheStart(VertxTestContext ctx) {
    int closed = TestPlatform.freePort();
    JsonObject overrides = new JsonObject().put("stores", new JsonObject()
        .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + closed)));
    TestPlatform.start("postgres-redis", overrides).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err.getMessage().contains("a configured store cannot be reached"), err.getMessage());
      assertTrue(err.getMessage().contains("\"postgres\":\"up\""), err.getMessage());
      assertTrue(err.getMessage().contains("\"redis\":\"down"), err.getMessage());
      ctx.completeNow();
    })));
  }
}
