package io.tensorforge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformSettingsTest {

  @Test
  void anEmptyConfigurationTakesEveryDefault() {
    PlatformSettings s = PlatformSettings.from(new JsonObject());
    assertEquals(8080, s.gateway().port());
    assertEquals(1_048_576, s.gateway().maxBodyBytes());
    assertEquals("p2c-latency", s.routing().defaultStrategy());
    assertEquals("memory", s.stores().kind());
    assertEquals(false, s.fleet().enabled());
  }

  @Test
  void everyBadKeyIsReportedAtOnceWithItsFullPath() {
    JsonObject json = new JsonObject()
        .put("gateway", new JsonObject().put("port", 70000).put("instances", "many"))
        .put("intake", new JsonObject().put("deadlines", new JsonObject().put("standard", 200_000)).put("maxDeadlineMs", 100_000))
        .put("security", new JsonObject().put("apiKeys", new JsonArray()
            .add(new JsonObject().put("key", "short").put("tenant", "t"))
            .add(new JsonObject().put("key", "long-enough-key"))))
        .put("routing", new JsonObject().put("endpoints", new JsonArray()
            .add(new JsonObject().put("id", "e1").put("url", "http://h:1").put("models", new JsonArray().add("m")))
            .add(new JsonObject().put("id", "e1").put("url", "http://h:2").put("models", new JsonArray().add("m")))))
        .put("stores", new JsonObject().put("kind", "mysql").put("redis", new JsonObject().put("url", "http://x")));
    ConfigException e = assertThrows(ConfigException.class, () -> PlatformSettings.from(json));
    List<String> keys = e.problems().stream().map(ConfigException.Problem::key).toList();
    assertEquals(List.of(
        "gateway.port", "gateway.instances",
        "security.apiKeys[0].key", "security.apiKeys[1].tenant",
        "intake.deadlines.standard",
        "routing.endpoints[1].id",
        "stores.kind", "stores.redis.url"), keys, e.getMessage());
    assertTrue(e.getMessage().contains("gateway.port: must be between 0 and 65535, got 70000"), e.getMessage());
  }

  @Test
  void perModelStrategiesFallBackToTheDefault() {
    JsonObject json = new JsonObject().put("routing", new JsonObject()
        .put("defaultStrategy", "least-outstanding")
        .put("models", new JsonObject().put("a", new JsonObject().put("strategy", "round-robin"))));
    PlatformSettings s = PlatformSettings.from(json);
    assertEquals("round-robin", s.routing().strategyFor("a"));
    assertEquals("least-outstanding", s.routing().strategyFor("b"));
  }

  @Test
  void aMisspelledKeyInAnySectionIsReportedNotIgnored() {
    JsonObject json = new JsonObject()
        .put("gateway", new JsonObject().put("maxBodyByte", 10))
        .put("tenants", new JsonObject().put("acme", new JsonObject().put("budget", "5")))
        .put("limits", new JsonObject().put("burstSecs", 5));
    ConfigException e = assertThrows(ConfigException.class, () -> PlatformSettings.from(json));
    List<String> keys = e.problems().stream().map(ConfigException.Problem::key).toList();
    assertEquals(List.of("gateway.maxBodyByte", "tenants.acme.budget", "limits.burstSecs"), keys, e.getMessage());
    assertTrue(e.getMessage().contains("gateway.maxBodyByte: is not a known key (known: [host, instances, maxBodyBytes, port])"),
        e.getMessage());
  }
}
