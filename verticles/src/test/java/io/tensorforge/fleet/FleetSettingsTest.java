package io.tensorforge.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.config.ConfigException;
import io.tensorforge.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetSettingsTest {

  private static JsonObject endpoint(String id) {
    return new JsonObject().put("id", id).put("models", new JsonArray().add("llama-3-8b"));
  }

  private static Map<String, String> problems(JsonObject fleet) {
    ConfigReader root = ConfigReader.root(new JsonObject().put("fleet", fleet));
    FleetSettings.from(root.section("fleet"));
    ConfigException e = assertThrows(ConfigException.class, root::throwIfInvalid);
    return e.problems().stream().collect(Collectors.toMap(
        ConfigException.Problem::key, ConfigException.Problem::reason, (a, b) -> a + " | " + b));
  }

  @Test
  void anEmptySectionIsADisabledFleet() {
    ConfigReader root = ConfigReader.root(new JsonObject());
    FleetSettings fleet = FleetSettings.from(root.section("fleet"));
    root.throwIfInvalid();
    assertFalse(fleet.enabled());
    assertEquals("127.0.0.1", fleet.host());
    assertEquals(List.of(), fleet.endpoints());
  }

  @Test
  void readsEveryKeyAndFillsDefaults() {
    JsonObject full = new JsonObject()
        .put("id", "llama-fast-1").put("port", 0).put("models", new JsonArray().add("llama-3-8b").add("llama-3-70b"))
        .put("maxConcurrent", 3).put("queueLimit", 0)
        .put("latency", new JsonObject().put("medianMs", 20).put("p99Ms", 80))
        .put("timePerOutputTokenMs", 2.5).put("errorRate", 0.1).put("defaultMaxTokens", 32)
        .put("register", false).put("seed", 7);
    JsonObject fleetJson = new JsonObject().put("enabled", true).put("host", "0.0.0.0")
        .put("endpoints", new JsonArray().add(full).add(endpoint("plain.one_2")));
    ConfigReader root = ConfigReader.root(new JsonObject().put("fleet", fleetJson));
    FleetSettings fleet = FleetSettings.from(root.section("fleet"));
    root.throwIfInvalid();

    assertTrue(fleet.enabled());
    assertEquals(new SimEndpointSettings("llama-fast-1", "0.0.0.0", 0, List.of("llama-3-8b", "llama-3-70b"),
        3, 0, 20, 80, 2.5, 0.1, 32, false, 7), fleet.endpoints().get(0));
    assertEquals(new SimEndpointSettings("plain.one_2", "0.0.0.0", 0, List.of("llama-3-8b"),
        8, 64, 20, 80, 5, 0, 16, true, "plain.one_2".hashCode()), fleet.endpoints().get(1));
    assertEquals(List.of(fleet.endpoints().get(1)), fleet.registered());
  }

  @Test
  void namesEveryBadKeyWithItsFullPath() {
    JsonObject fleet = new JsonObject().put("enabled", "maybe").put("endpoints", new JsonArray()
        .add(endpoint("a").put("errorRate", 1.5).put("maxConcurrent", 0).put("queueLimit", -1))
        .add(endpoint("b").put("latency", new JsonObject().put("medianMs", 100).put("p99Ms", 50)))
        .add(new JsonObject().put("id", "bad id!"))
        .add(endpoint("a").put("port", 70000).put("timePerOutputTokenMs", -1))
        .add(endpoint("c").put("models", new JsonArray()).put("p99ms", 3)
            .put("latency", new JsonObject().put("medianMs", 0))));
    Map<String, String> p = problems(fleet);

    assertTrue(p.containsKey("fleet.enabled"), p.toString());
    assertTrue(p.get("fleet.endpoints[0].errorRate").contains("between 0 and 1"), p.toString());
    assertTrue(p.containsKey("fleet.endpoints[0].maxConcurrent"), p.toString());
    assertTrue(p.containsKey("fleet.endpoints[0].queueLimit"), p.toString());
    assertTrue(p.get("fleet.endpoints[1].latency.p99Ms").contains("at least medianMs"), p.toString());
    assertTrue(p.get("fleet.endpoints[2].id").contains("[a-zA-Z0-9._-]+"), p.toString());
    assertTrue(p.get("fleet.endpoints[2].models").contains("required"), p.toString());
    assertTrue(p.get("fleet.endpoints[3].id").contains("duplicate id 'a' (also fleet.endpoints[0].id)"), p.toString());
    assertTrue(p.containsKey("fleet.endpoints[3].port"), p.toString());
    assertTrue(p.containsKey("fleet.endpoints[3].timePerOutputTokenMs"), p.toString());
    assertTrue(p.get("fleet.endpoints[4].models").contains("must not be empty"), p.toString());
    assertTrue(p.get("fleet.endpoints[4].p99ms").contains("not a known key"), p.toString());
    assertTrue(p.get("fleet.endpoints[4].latency.medianMs").contains("greater than 0"), p.toString());
    assertEquals(13, p.size(), p.toString());
  }

  @Test
  void runtimeChangesAreValidatedByKey() {
    SimEndpointSettings s = new SimEndpointSettings("e", "127.0.0.1", 0, List.of("m"), 2, 2, 20, 80, 5, 0, 16, true, 1);
    SimEndpointSettings changed = s.withChanges(new JsonObject().put("medianMs", 50).put("errorRate", 0.5).put("maxConcurrent", 4));
    assertEquals(50, changed.medianMs());
    assertEquals(80, changed.p99Ms());
    assertEquals(0.5, changed.errorRate());
    assertEquals(4, changed.maxConcurrent());
    assertEquals(s.id(), changed.id());

    assertProblem(s, new JsonObject().put("errorRate", 2), "errorRate");
    assertProblem(s, new JsonObject().put("p99Ms", 10), "p99Ms");
    assertProblem(s, new JsonObject().put("medianMs", 100), "medianMs");
    assertProblem(s, new JsonObject().put("maxConcurrent", 0), "maxConcurrent");
    assertProblem(s, new JsonObject().put("id", "x"), "id");
  }

  private static void assertProblem(SimEndpointSettings s, JsonObject patch, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> s.withChanges(patch));
    assertEquals(key, e.problems().get(0).key(), e.getMessage());
  }
}
