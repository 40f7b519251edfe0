package io.tensorforge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  private static JsonObject config() {
    return new JsonObject()
        .put("gateway", new JsonObject().put("port", 8080).put("maxBodyBytes", 1024))
        .put("security", new JsonObject().put("adminKeys", new JsonArray().add("a-long-admin-key")))
        .put("routing", new JsonObject().put("models", new JsonObject().put("llama-3-8b", new JsonObject().put("strategy", "p2c-latency"))));
  }

  @Test
  void variableNamesAreTheUpperSnakePathBehindTf() {
    assertEquals("TF_GATEWAY_MAX_BODY_BYTES", EnvOverrides.variableFor("gateway.maxBodyBytes"));
    assertEquals("TF_STORES_POSTGRES_PASSWORD", EnvOverrides.variableFor("stores.postgres.password"));
    assertEquals("TF_ROUTING_MODELS_LLAMA_3_8B_STRATEGY", EnvOverrides.variableFor("routing.models.llama-3-8b.strategy"));
  }

  @Test
  void scalarsListsAndNestedKeysAreOverridden() {
    JsonObject c = config();
    EnvOverrides.apply(c, Map.of(
        "TF_GATEWAY_MAX_BODY_BYTES", "2048",
        "TF_SECURITY_ADMIN_KEYS", "[\"k-0000001\",\"k-0000002\"]",
        "TF_ROUTING_MODELS_LLAMA_3_8B_STRATEGY", "round-robin",
        "TF_UNRELATED", "ignored"));
    assertEquals("2048", c.getJsonObject("gateway").getValue("maxBodyBytes"));
    assertEquals(8080, c.getJsonObject("gateway").getValue("port"));
    assertEquals(new JsonArray().add("k-0000001").add("k-0000002"), c.getJsonObject("security").getJsonArray("adminKeys"));
    assertEquals("round-robin", c.getJsonObject("routing").getJsonObject("models").getJsonObject("llama-3-8b").getString("strategy"));
  }

  @Test
  void aListOverrideMustBeJson() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> EnvOverrides.apply(config(), Map.of("TF_SECURITY_ADMIN_KEYS", "not json")));
    assertEquals("security.adminKeys", e.problems().get(0).key());
    assertTrue(e.getMessage().contains("TF_SECURITY_ADMIN_KEYS must hold JSON for a list"), e.getMessage());
  }
}
