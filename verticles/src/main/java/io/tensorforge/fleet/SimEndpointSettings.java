package io.tensorforge.fleet;

import io.tensorforge.config.ConfigException;
import io.tensorforge.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One simulated model server: where it listens, what it serves, how fast and how reliably.
 *
 * @param id unique name, {@code [a-zA-Z0-9._-]+}
 * @param host interface to bind
 * @param port port to bind, 0 for any free port
 * @param models the models it serves (non-empty)
 * @param maxConcurrent requests processed at once (>= 1)
 * @param queueLimit requests waiting beyond those (>= 0); more are answered 503
 * @param medianMs median of the log-normal latency (time to first token)
 * @param p99Ms 99th percentile of that latency (>= medianMs)
 * @param timePerOutputTokenMs time per generated token (>= 0)
 * @param errorRate fraction of requests answered 500 (0..1)
 * @param defaultMaxTokens output tokens when a request gives no {@code max_tokens}
 * @param register whether the launcher registers it with routing
 * @param seed seed of its random source
 */
public record SimEndpointSettings(
    String id,
    String host,
    int port,
    List<String> models,
    int maxConcurrent,
    int queueLimit,
    double medianMs,
    double p99Ms,
    double timePerOutputTokenMs,
    double errorRate,
    int defaultMaxTokens,
    boolean register,
    long seed) {

  static final Pattern ID = Pattern.compile("[a-zA-Z0-9._-]+");
  static final Set<String> KEYS = Set.of(
      "id", "host", "port", "models", "maxConcurrent", "queueLimit", "latency",
      "timePerOutputTokenMs", "errorRate", "defaultMaxTokens", "register", "seed");
  static final Set<String> LATENCY_KEYS = Set.of("medianMs", "p99Ms");
  /** The keys {@code PUT /admin/settings} may change. */
  public static final Set<String> RUNTIME_KEYS = Set.of(
      "medianMs", "p99Ms", "timePerOutputTokenMs", "errorRate", "maxConcurrent", "queueLimit", "defaultMaxTokens");

  static final double MAX_MS = 3_600_000;
  static final int MAX_CONCURRENT = 100_000;
  static final int MAX_QUEUE = 1_000_000;
  static final int MAX_TOKENS = 1_000_000;

  public SimEndpointSettings {
    models = List.copyOf(models);
  }

  /**
   * Reads one endpoint section; every problem goes to {@code r} with its full key. The result
   * is only meaningful when the reader stays valid.
   */
  static SimEndpointSettings from(ConfigReader r, String defaultHost) {
    unknownKeys(r, KEYS);
    String id = r.requiredString("id");
    if (!id.isEmpty() && !ID.matcher(id).matches()) {
      r.problem("id", "must match [a-zA-Z0-9._-]+, got '" + id + "'");
    }
    String host = r.string("host", defaultHost);
    if (host == null || host.isBlank()) {
      r.problem("host", "must not be empty");
    }
    int port = r.intIn("port", 0, 0, 65535);
    List<String> models = r.strings("models", List.of());
    if (!r.has("models")) {
      r.problem("models", "is required");
    } else if (models.isEmpty() && r.json().getValue("models") instanceof JsonArray arr && arr.isEmpty()) {
      r.problem("models", "must not be empty");
    } else if (new LinkedHashSet<>(models).size() != models.size()) {
      r.problem("models", "must not repeat a model, got " + models);
    }
    int maxConcurrent = r.intIn("maxConcurrent", 8, 1, MAX_CONCURRENT);
    int queueLimit = r.intIn("queueLimit", 64, 0, MAX_QUEUE);
    ConfigReader latency = r.section("latency");
    unknownKeys(latency, LATENCY_KEYS);
    double medianMs = latency.doubleIn("medianMs", 20, 0, MAX_MS);
    if (medianMs <= 0) {
      latency.problem("medianMs", "must be greater than 0, got 0");
      medianMs = 20;
    }
    double p99Ms = latency.doubleIn("p99Ms", medianMs * 4, 0, MAX_MS);
    if (p99Ms < medianMs) {
      latency.problem("p99Ms", "must be at least medianMs (" + medianMs + "), got " + p99Ms);
    }
    double tpot = r.doubleIn("timePerOutputTokenMs", 5, 0, MAX_MS);
    double errorRate = r.doubleIn("errorRate", 0.0, 0, 1);
    int defaultMaxTokens = r.intIn("defaultMaxTokens", 16, 1, MAX_TOKENS);
    boolean register = r.bool("register", true);
    long seed = r.longIn("seed", id.hashCode(), Long.MIN_VALUE, Long.MAX_VALUE);
    return new SimEndpointSettings(id, host, port, models, maxConcurrent, queueLimit, medianMs, p99Ms,
        tpot, errorRate, defaultMaxTokens, register, seed);
  }

  /**
   * These settings with a runtime change applied (keys of {@link #RUNTIME_KEYS}).
   *
   * @throws ConfigException naming every bad key of {@code patch}
   */
  public SimEndpointSettings withChanges(JsonObject patch) {
    ConfigReader r = ConfigReader.root(patch);
    unknownKeys(r, RUNTIME_KEYS);
    double median = r.doubleIn("medianMs", medianMs, 0, MAX_MS);
    if (median <= 0) {
      r.problem("medianMs", "must be greater than 0, got 0");
    }
    double p99 = r.doubleIn("p99Ms", p99Ms, 0, MAX_MS);
    if (median > 0 && p99 < median) {
      r.problem(r.has("p99Ms") ? "p99Ms" : "medianMs",
          "p99Ms (" + p99 + ") must be at least medianMs (" + median + "); change both together");
    }
    double tpot = r.doubleIn("timePerOutputTokenMs", timePerOutputTokenMs, 0, MAX_MS);
    double rate = r.doubleIn("errorRate", errorRate, 0, 1);
    int concurrent = r.intIn("maxConcurrent", maxConcurrent, 1, MAX_CONCURRENT);
    int queue = r.intIn("queueLimit", queueLimit, 0, MAX_QUEUE);
    int tokens = r.intIn("defaultMaxTokens", defaultMaxTokens, 1, MAX_TOKENS);
    r.throwIfInvalid();
    return new SimEndpointSettings(id, host, port, models, concurrent, queue, median, p99, tpot, rate, tokens,
        register, seed);
  }

  /** These settings with another port (the one actually bound). */
  public SimEndpointSettings withPort(int actualPort) {
    return new SimEndpointSettings(id, host, actualPort, models, maxConcurrent, queueLimit, medianMs, p99Ms,
        timePerOutputTokenMs, errorRate, defaultMaxTokens, register, seed);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("host", host)
        .put("port", port)
        .put("models", new JsonArray(models))
        .put("maxConcurrent", maxConcurrent)
        .put("queueLimit", queueLimit)
        .put("medianMs", medianMs)
        .put("p99Ms", p99Ms)
        .put("timePerOutputTokenMs", timePerOutputTokenMs)
        .put("errorRate", errorRate)
        .put("defaultMaxTokens", defaultMaxTokens)
        .put("register", register)
        .put("seed", seed);
  }

  private static void unknownKeys(ConfigReader r, Set<String> known) {
    r.knownKeys(known.toArray(String[]::new));
  }
}
