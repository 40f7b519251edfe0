package io.tensorforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.config.ConfigException;
import io.tensorforge.config.LaunchOptions;
import io.tensorforge.launcher.Platform;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node starts only on a valid configuration; otherwise the start names every bad key and why. */
@ExtendWith(VertxExtension.class)
class ConfigurationIT {

  @Test
  void badEnvironmentOverridesStopTheStartNamingEachKey(VertxTestContext ctx) {
    Map<String, String> env = Map.of(
        "TF_GATEWAY_PORT", "eighty",
        "TF_INTAKE_QUEUE_CAPACITY", "-1",
        "TF_ROUTING_DEFAULT_STRATEGY", "fastest");
    Platform.start(LaunchOptions.defaults().withEnv(env)).onComplete(ctx.failing(err -> ctx.verify(() -> {
      ConfigException ce = (ConfigException) err;
      String message = ce.getMessage();
      assertTrue(message.contains("gateway.port: must be a whole number, got 'eighty'"), message);
      assertTrue(message.contains("intake.queueCapacity: must be between 0 and"), message);
      assertTrue(message.contains("routing.defaultStrategy: must be one of [least-outstanding, p2c-latency, round-robin], got 'fastest'"), message);
      assertEquals(3, ce.problems().size(), message);
      ctx.completeNow();
    })));
  }

  @Test
  void anUnknownSectionIsRefused(VertxTestContext ctx) {
    JsonObject overrides = new JsonObject().put("gatway", new JsonObject().put("port", 1));
    Platform.start(LaunchOptions.defaults().withOverrides(overrides)).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err.getMessage().contains("gatway: is not a known section"), err.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void anUnknownProfileIsRefusedByName(VertxTestContext ctx) {
    Platform.start(LaunchOptions.defaults().withProfile("no-such-profile")).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err instanceof ConfigException, err.toString());
      assertTrue(err.getMessage().contains("profile 'no-such-profile': cannot be read from 'conf/profiles/no-such-profile.yaml'"), err.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void environmentOverridesReachTheRunningNode(VertxTestContext ctx) {
    int port = TestPlatform.freePort();
    Map<String, String> env = Map.of("TF_GATEWAY_PORT", Integer.toString(port), "TF_GATEWAY_HOST", "127.0.0.1",
        "TF_FLEET_ENABLED", "false", "TF_NODE_NAME", "from-env");
    Platform.start(LaunchOptions.defaults().withEnv(env)).onComplete(ctx.succeeding(p -> ctx.verify(() -> {
      assertEquals(port, p.settings().gateway().port());
      assertEquals("from-env", p.settings().nodeName());
      p.close().onComplete(ctx.succeedingThenComplete());
    })));
  }
}
