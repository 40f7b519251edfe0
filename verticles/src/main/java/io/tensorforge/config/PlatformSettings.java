package io.tensorforge.config;

import io.tensorforge.domain.cost.Price;
import io.tensorforge.domain.intake.SchedulerSettings;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.RoutingStrategies;
import io.tensorforge.fleet.FleetSettings;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole configuration, typed and validated once at start. {@link #from(JsonObject)} reports
 * every bad key at once through a {@link ConfigException}.
 */
public record PlatformSettings(
    String nodeName,
    Gateway gateway,
    Security security,
    Intake intake,
    Map<String, Tenant> tenants,
    Limits limits,
    Pricing pricing,
    Routing routing,
    Fulfillment fulfillment,
    Stores stores,
    FleetSettings fleet) {

  private static final Set<String> SECTIONS =
      Set.of("node", "gateway", "security", "intake", "tenants", "limits", "pricing", "routing", "fulfillment", "stores", "fleet");
  private static final Set<String> PRIORITIES =
      Arrays.stream(Priority.values()).map(Priority::wireName).collect(Collectors.toUnmodifiableSet());
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public record Gateway(String host, int port, int instances, long maxBodyBytes) {}

  /**
   * @param priority the class of this key's requests when they send no {@code X-TF-Priority}
   * @param requestsPerMinute 0 for no limit on this key (the tenant's limits still apply)
   * @param tokensPerMinute 0 for no limit on this key
   */
  public record ApiKey(String key, String tenant, Priority priority, long requestsPerMinute, long tokensPerMinute) {}

  public record Security(List<ApiKey> apiKeys, List<String> adminKeys) {}

  /**
   * @param queueCapacity most requests waiting on this node, all models and tenants together
   * @param perTenantQueueCapacity most requests one tenant may have waiting on this node
   * @param deadlineMsByPriority the deadline of a request that sends no {@code X-TF-Deadline-Ms}
   */
  public record Intake(int queueCapacity, int perTenantQueueCapacity, Map<String, Long> deadlineMsByPriority,
                       long maxDeadlineMs) {

    public long defaultDeadlineMs(Priority priority) {
      return deadlineMsByPriority.get(priority.wireName());
    }
  }

  /**
   * One tenant's share and limits. Zero means no limit; a null budget means unlimited spend.
   */
  public record Tenant(String name, double weight, long requestsPerMinute, long tokensPerMinute, BigDecimal budgetUsd) {

    static Tenant unlimited(String name) {
      return new Tenant(name, 1.0, 0, 0, null);
    }
  }

  /**
   * How limits are enforced: {@code burstSeconds} of a per-minute rate may be taken at once; a
   * Redis call that takes longer than {@code redisTimeoutMs} is answered by {@code onRedisFailure}
   * ({@code refuse}: 503, or {@code local}: this node's own memory limits until Redis answers).
   */
  public record Limits(int burstSeconds, long redisTimeoutMs, String onRedisFailure, long defaultMaxTokens) {

    /** The burst of a per-minute rate: {@code burstSeconds} of it, at least 1. */
    public long burst(long ratePerMinute) {
      return Math.max(1, ratePerMinute * burstSeconds / 60);
    }
  }

  /** Prices in USD per million tokens, by model; models not listed cost {@code fallback}. */
  public record Pricing(Map<String, Price> byModel, Price fallback) {

    public Price of(String model) {
      return byModel.getOrDefault(model, fallback);
    }
  }

  public record Routing(String defaultStrategy, Map<String, String> strategyByModel, double latencyDecayMs,
                        long staleAfterMs, double failurePenaltyMs, List<EndpointSpec> endpoints) {

    public String strategyFor(String model) {
      return strategyByModel.getOrDefault(model, defaultStrategy);
    }

    public SchedulerSettings schedulerSettings(Intake intake, Map<String, Tenant> tenants) {
      Map<String, Double> weights = new HashMap<>();
      tenants.forEach((name, t) -> weights.put(name, t.weight()));
      return new SchedulerSettings(intake.queueCapacity(), intake.perTenantQueueCapacity(), latencyDecayMs,
          staleAfterMs, failurePenaltyMs, weights);
    }
  }

  public record Fulfillment(int connectTimeoutMs, int idleTimeoutMs, int maxPoolSizePerEndpoint) {}

  public record Postgres(String host, int port, String database, String user, String password, int poolSize) {}

  /** @param keyPrefix every key this node writes starts with it (several deployments can share one Redis) */
  public record Redis(String url, String keyPrefix) {}

  /** Where state lives: {@code memory} (this node) or the production stores. */
  public record Stores(String kind, String limitsKind, Postgres postgres, Redis redis) {

    public boolean usesPostgres() {
      return "postgres".equals(kind);
    }

    public boolean usesRedis() {
      return "redis".equals(limitsKind);
    }
  }

  /** A tenant's settings; a tenant not listed has weight 1 and no limits. */
  public Tenant tenant(String name) {
    Tenant t = tenants.get(name);
    return t != null ? t : Tenant.unlimited(name);
  }

  public static PlatformSettings from(JsonObject json) {
    ConfigReader root = ConfigReader.root(json);
    for (String key : json.fieldNames()) {
      if (!SECTIONS.contains(key)) {
        root.problem(key, "is not a known section; expected one of " + new java.util.TreeSet<>(SECTIONS));
      }
    }
    String nodeName = root.section("node").knownKeys("name").string("name", "tf-node");
    PlatformSettings settings = new PlatformSettings(
        nodeName,
        gateway(root.section("gateway")),
        security(root.section("security")),
        intake(root.section("intake")),
        tenants(root.section("tenants")),
        limits(root.section("limits")),
        pricing(root.section("pricing")),
        routing(root.section("routing")),
        fulfillment(root.section("fulfillment")),
        stores(root.section("stores")),
        FleetSettings.from(root.section("fleet")));
    root.throwIfInvalid();
    return settings;
  }

  private static Gateway gateway(ConfigReader r) {
    r.knownKeys("host", "port", "instances", "maxBodyBytes");
    return new Gateway(
        r.string("host", "0.0.0.0"),
        r.intIn("port", 8080, 0, 65535),
        r.intIn("instances", 2, 1, 64),
        r.longIn("maxBodyBytes", 1_048_576, 1, 1L << 30));
  }

  private static Security security(ConfigReader r) {
    r.knownKeys("apiKeys", "adminKeys");
    List<ApiKey> keys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<ConfigReader> entries = r.sections("apiKeys");
    for (ConfigReader k : entries) {
      k.knownKeys("key", "tenant", "priority", "requestsPerMinute", "tokensPerMinute");
      String key = k.requiredString("key");
      String tenant = k.requiredString("tenant");
      Priority priority = Priority.parse(k.oneOf("priority", "standard", PRIORITIES)).orElse(Priority.STANDARD);
      long rpm = k.longIn("requestsPerMinute", 0, 0, 1_000_000_000L);
      long tpm = k.longIn("tokensPerMinute", 0, 0, 1_000_000_000_000L);
      if (!key.isEmpty() && !seen.add(key)) {
        k.problem("key", "is listed twice");
      }
      if (!key.isEmpty() && key.length() < 8) {
        k.problem("key", "must be at least 8 characters");
      }
      keys.add(new ApiKey(key, tenant, priority, rpm, tpm));
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
    r.knownKeys("queueCapacity", "perTenantQueueCapacity", "deadlines", "maxDeadlineMs");
    long maxDeadline = r.longIn("maxDeadlineMs", 300_000, 1, 3_600_000);
    ConfigReader d = r.section("deadlines");
    Map<String, Long> deadlines = new LinkedHashMap<>();
    deadlines.put("critical", d.longIn("critical", 60_000, 1, 3_600_000));
    deadlines.put("standard", d.longIn("standard", 30_000, 1, 3_600_000));
    deadlines.put("sheddable", d.longIn("sheddable", 10_000, 1, 3_600_000));
    deadlines.forEach((priority, ms) -> {
      if (ms > maxDeadline) {
        d.problem(priority, "must not exceed intake.maxDeadlineMs (" + maxDeadline + "), got " + ms);
      }
    });
    for (String key : d.json().fieldNames()) {
      if (!PRIORITIES.contains(key)) {
        d.problem(key, "is not a priority class; expected critical, standard or sheddable");
      }
    }
    int capacity = r.intIn("queueCapacity", 1000, 0, 10_000_000);
    int perTenant = r.intIn("perTenantQueueCapacity", capacity, 0, 10_000_000);
    return new Intake(capacity, perTenant, Map.copyOf(deadlines), maxDeadline);
  }

  private static Map<String, Tenant> tenants(ConfigReader r) {
    Map<String, Tenant> tenants = new LinkedHashMap<>();
    for (String name : r.json().fieldNames()) {
      ConfigReader t = r.section(name).knownKeys("weight", "requestsPerMinute", "tokensPerMinute", "budgetUsd");
      BigDecimal budget = null;
      String budgetText = t.string("budgetUsd", null);
      if (budgetText != null && !budgetText.isBlank()) {
        try {
          budget = new BigDecimal(budgetText.trim());
          if (budget.signum() < 0) {
            t.problem("budgetUsd", "must not be negative, got " + budgetText);
          }
        } catch (NumberFormatException e) {
          t.problem("budgetUsd", "must be a decimal amount of USD such as \"25.00\", got '" + budgetText + "'");
        }
      }
      tenants.put(name, new Tenant(name,
          t.doubleIn("weight", 1.0, 0.001, 1_000_000),
          t.longIn("requestsPerMinute", 0, 0, 1_000_000_000L),
          t.longIn("tokensPerMinute", 0, 0, 1_000_000_000_000L),
          budget));
    }
    return Map.copyOf(tenants);
  }

  private static Pricing pricing(ConfigReader r) {
    r.knownKeys("default", "models");
    Price fallback = price(r.section("default"));
    Map<String, Price> byModel = new LinkedHashMap<>();
    ConfigReader models = r.section("models");
    for (String model : models.json().fieldNames()) {
      byModel.put(model, price(models.section(model)));
    }
    return new Pricing(Map.copyOf(byModel), fallback);
  }

  private static Price price(ConfigReader p) {
    p.knownKeys("inputPerMillion", "outputPerMillion");
    return new Price(p.decimal("inputPerMillion", BigDecimal.ZERO), p.decimal("outputPerMillion", BigDecimal.ZERO));
  }

  private static Limits limits(ConfigReader r) {
    r.knownKeys("burstSeconds", "redisTimeoutMs", "onRedisFailure", "defaultMaxTokens");
    return new Limits(
        r.intIn("burstSeconds", 10, 1, 60),
        r.longIn("redisTimeoutMs", 50, 1, 60_000),
        r.oneOf("onRedisFailure", "refuse", Set.of("refuse", "local")),
        r.longIn("defaultMaxTokens", 256, 0, 10_000_000));
  }

  private static Routing routing(ConfigReader r) {
    r.knownKeys("defaultStrategy", "models", "latencyDecayMs", "staleAfterMs", "failurePenaltyMs", "endpoints");
    String def = r.oneOf("defaultStrategy", "p2c-latency", RoutingStrategies.NAMES);
    Map<String, String> byModel = new LinkedHashMap<>();
    ConfigReader models = r.section("models");
    for (String model : models.json().fieldNames()) {
      ConfigReader m = models.section(model).knownKeys("strategy");
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
        r.longIn("staleAfterMs", 3_000, 0, 86_400_000),
        r.doubleIn("failurePenaltyMs", 1_000, 0, 3_600_000),
        List.copyOf(endpoints));
  }

  /** One endpoint registration (config or admin API); problems go to the reader. */
  public static EndpointSpec endpoint(ConfigReader e) {
    int problemsBefore = e.problemCount();
    e.knownKeys("id", "url", "models", "maxConcurrent", "up", "replace");
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
    r.knownKeys("connectTimeoutMs", "idleTimeoutMs", "maxPoolSizePerEndpoint");
    return new Fulfillment(
        r.intIn("connectTimeoutMs", 2_000, 1, 600_000),
        r.intIn("idleTimeoutMs", 60_000, 1, 3_600_000),
        r.intIn("maxPoolSizePerEndpoint", 256, 1, 100_000));
  }

  private static Stores stores(ConfigReader r) {
    r.knownKeys("kind", "limitsKind", "postgres", "redis");
    String kind = r.oneOf("kind", "memory", Set.of("memory", "postgres"));
    String limits = r.oneOf("limitsKind", "memory", Set.of("memory", "redis"));
    ConfigReader pg = r.section("postgres").knownKeys("host", "port", "database", "user", "password", "poolSize");
    Postgres postgres = new Postgres(
        pg.string("host", "127.0.0.1"),
        pg.intIn("port", 5432, 1, 65535),
        pg.string("database", "postgres"),
        pg.string("user", "postgres"),
        pg.string("password", ""),
        pg.intIn("poolSize", 8, 1, 1000));
    ConfigReader redisSection = r.section("redis").knownKeys("url", "keyPrefix");
    String redisUrl = redisSection.string("url", "redis://127.0.0.1:6379");
    if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      redisSection.problem("url", "must start with redis:// or rediss://, got '" + redisUrl + "'");
    }
    return new Stores(kind, limits, postgres, new Redis(redisUrl, redisSection.string("keyPrefix", "tf:")));
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
