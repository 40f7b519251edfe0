package io.tensorforge.it;

import io.tensorforge.config.LaunchOptions;
import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Starts a whole node for a test, on a free port, with the configuration of
 * {@code conf/tensorforge.yaml} and the test's overrides layered on top.
 */
final class TestPlatform {

  static final String KEY = "tf-demo-key-0001";
  static final String OTHER_TENANT_KEY = "tf-demo-key-0002";
  static final String ADMIN_KEY = "tf-admin-key-0001";

  private TestPlatform() {}

  static Future<Platform> start(JsonObject overrides) {
    return start(null, overrides);
  }

  static Future<Platform> start(String profile, JsonObject overrides) {
    JsonObject o = overrides.copy();
    JsonObject gateway = o.getJsonObject("gateway", new JsonObject());
    gateway.put("host", "127.0.0.1");
    if (!gateway.containsKey("port")) {
      gateway.put("port", freePort());
    }
    o.put("gateway", gateway);
    return Platform.start(new LaunchOptions(profile, null, Map.of(), o));
  }

  /** A fleet section with the given simulated endpoints. */
  static JsonObject fleet(JsonObject... endpoints) {
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("endpoints", new JsonArray(java.util.List.of((Object[]) endpoints)));
  }

  /** One simulated endpoint. */
  static JsonObject sim(String id, String model, double medianMs, double p99Ms, int maxConcurrent) {
    return new JsonObject()
        .put("id", id)
        .put("port", 0)
        .put("models", new JsonArray().add(model))
        .put("maxConcurrent", maxConcurrent)
        .put("queueLimit", 256)
        .put("latency", new JsonObject().put("medianMs", medianMs).put("p99Ms", p99Ms))
        .put("timePerOutputTokenMs", 1)
        .put("defaultMaxTokens", 4)
        .put("errorRate", 0.0);
  }

  /** A web client aimed at the node's gateway, with room for {@code connections} requests at once. */
  static WebClient client(Vertx vertx, Platform platform, int connections) {
    return WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port(platform)),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  static WebClient client(Vertx vertx, Platform platform) {
    return client(vertx, platform, 8);
  }

  static int port(Platform platform) {
    return platform.settings().gateway().port();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject chat(String model) {
    return new JsonObject()
        .put("model", model)
        .put("max_tokens", 4)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say hello")));
  }
}
