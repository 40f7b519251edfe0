package io.tensorforge.config;

import io.tensorforge.domain.intake.SchedulerSettings;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.RoutingStrategies;
import io.tensorforge.fleet.FleetSettings;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole configuration, typed and validated once at start. {@link #from(JsonObject)} reports
 * every bad key at once through a {@link ConfigException}.
 */
public record PlatformSettings(
    String nodeName,
    Gateway gateway,
    Security security,
    Intake intake,
    Routing routing,
    Fulfillment fulfillment,
    Stores stores,
    FleetSettings fleet) {

  private static final Set<String> SECTIONS =
      Set.of("node", "gateway", "security", "intake", "routing", "fulfillment", "stores", "fleet");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public record Gateway(String host, int port, int instances, long maxBodyBytes) {}

  public record ApiKey(String key, String tenant) {}

  public record Security(List<ApiKey> apiKeys, List<String> adminKeys) {}

  public record Intake(int queueCapacity, long defaultDeadlineMs, long maxDeadlineMs) {}

  public record Routing(String defaultStrategy, Map<String, String> strategyByModel, double latencyDecayMs,
                        long staleAfterMs, List<EndpointSpec> endpoints) {

    public String strategyFor(String model) {
      return strategyByModel.getOrDefault(model, defaultStrategy);
    }

    public SchedulerSettings schedulerSettings(Intake intake) {
      return new SchedulerSettings(intake.queueCapacity(), latencyDecayMs, staleAfterMs);
    }
  }

  public record Fulfillment(int connectTimeoutMs, int idleTimeoutMs, int maxPoolSizePerEndpoint) {}

  public record Postgres(String host, int port, String database, String user, String password, int poolSize) {}

  public record Redis(String url) {}

  /** Where state lives: {@code memory} (this node) or the production stores. */
  public record Stores(String kind, String limitsKind, Postgres postgres, Redis redis) {

    public boolean usesPostgres() {
      return "postgres".equals(kind);
    }

    public boolean usesRedis() {
      return "redis".equals(limitsKind);
    }
  }

  public static PlatformSettings from(JsonObject json) {
    ConfigReader root = ConfigReader.root(json);
    for (String key : json.fieldNames()) {
      if (!SECTIONS.contains(key)) {
        root.problem(key, "is not a known section; expected one of " + new java.util.TreeSet<>(SECTIONS));
      }
    }
    String nodeName = root.section("node").string("name", "tf-node");
    PlatformSettings settings = new PlatformSettings(
        nodeName,
        gateway(root.section("gateway")),
        security(root.section("security")),
        intake(root.section("intake")),
        routing(root.section("routing")),
        fulfillment(root.section("fulfillment")),
        stores(root.section("stores")),
        FleetSettings.from(root.section("fleet")));
    root.throwIfInvalid();
    return settings;
  }

  private static Gateway gateway(ConfigReader r) {
    return new Gateway(
        r.string("host", "0.0.0.0"),
        r.intIn("port", 8080, 0, 65535),
        r.intIn("instances", 2, 1, 64),
        r.longIn("maxBodyBytes", 1_048_576, 1, 1L << 30));
  }

  private static Security security(ConfigReader r) {
    List<ApiKey> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<ConfigReader> entries = r.sections("apiKeys");
    for (ConfigReader k : entries) {
      String key = k.requiredString("key");
      String tenant = k.requiredString("tenant");
      if (!key.isEmpty() && !seen.add(key)) {
        k.problem("key", "is listed twice");
      }
      if (!key.isEmpty() && key.length() < 8) {
        k.problem("key", "must be at least 8 characters");
      }
      keys.add(new ApiKey(key, tenant));
    }
    List<String> admin = r.strings("adminKeys", List.of());
    for (String a : admin) {
      if (a.length() < 8) {
        r.problem("adminKeys", "every admin key must be at least 8 characters");
      }
    }
    return new Security(List.copyOf(keys), List.copyOf(admin));
  }

  private static Intake intake(ConfigReader r) {
    Intake intake = new Intake(
        r.intIn("queueCapacity", 1000, 0, 10_000_000),
        r.longIn("defaultDeadlineMs", 30_000, 1, 3_600_000),
        r.longIn("maxDeadlineMs", 300_000, 1, 3_600_000));
    if (intake.defaultDeadlineMs() > intake.maxDeadlineMs()) {
      r.problem("defaultDeadlineMs", "must not exceed intake.maxDeadlineMs (" + intake.maxDeadlineMs() + ")");
    }
    return intake;
  }

  private static Routing routing(ConfigReader r) {
    String def = r.oneOf("defaultStrategy", "p2c-latency", RoutingStrategies.NAMES);
    Map<String, String> byModel = new LinkedHashMap<>();
    ConfigReader models = r.section("models");
    for (String model : models.json().fieldNames()) {
      ConfigReader m = models.section(model);
      byModel.put(model, m.oneOf("strategy", def, RoutingStrategies.NAMES));
    }
    List<EndpointSpec> endpoints = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigReader e : r.sections("endpoints")) {
      EndpointSpec spec = endpoint(e);
      if (spec != null) {
        if (!ids.add(spec.id())) {
          e.problem("id", "'" + spec.id() + "' is listed twice");
        }
        endpoints.add(spec);
      }
    }
    return new Routing(def, Map.copyOf(byModel),
        r.doubleIn("latencyDecayMs", 5_000, 1, 3_600_000),
        r.longIn("staleAfterMs", 10_000, 0, 86_400_000),
        List.copyOf(endpoints));
  }

  /** One endpoint registration (config or admin API); problems go to the reader. */
  public static EndpointSpec endpoint(ConfigReader e) {
    int problemsBefore = e.problemCount();
    String id = e.requiredString("id");
    if (!id.isEmpty() && !ID.matcher(id).matches()) {
      e.problem("id", "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
    }
    String url = e.requiredString("url");
    if (!url.isEmpty() && !validHttpUrl(url)) {
      e.problem("url", "must be an absolute http(s) URL with a host, got '" + url + "'");
    }
    List<String> models = e.strings("models", List.of());
    if (models.isEmpty()) {
      e.problem("models", "must list at least one model");
    }
    int maxConcurrent = e.intIn("maxConcurrent", 16, 1, 100_000);
    if (e.problemCount() > problemsBefore) {
      return null;
    }
    return new EndpointSpec(id, stripSlash(url), models, maxConcurrent);
  }

  private static Fulfillment fulfillment(ConfigReader r) {
    return new Fulfillment(
        r.intIn("connectTimeoutMs", 2_000, 1, 600_000),
        r.intIn("idleTimeoutMs", 60_000, 1, 3_600_000),
        r.intIn("maxPoolSizePerEndpoint", 256, 1, 100_000));
  }

  private static Stores stores(ConfigReader r) {
    String kind = r.oneOf("kind", "memory", Set.of("memory", "postgres"));
    String limits = r.oneOf("limitsKind", "memory", Set.of("memory", "redis"));
    ConfigReader pg = r.section("postgres");
    Postgres postgres = new Postgres(
        pg.string("host", "127.0.0.1"),
        pg.intIn("port", 5432, 1, 65535),
        pg.string("database", "postgres"),
        pg.string("user", "postgres"),
        pg.string("password", ""),
        pg.intIn("poolSize", 8, 1, 1000));
    ConfigReader redisSection = r.section("redis");
    String redisUrl = redisSection.string("url", "redis://127.0.0.1:6379");
    if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      redisSection.problem("url", "must start with redis:// or rediss://, got '" + redisUrl + "'");
    }
    return new Stores(kind, limits, postgres, new Redis(redisUrl));
  }

  private static boolean validHttpUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
