package io.tensorforge.load;

import io.tensorforge.config.LaunchOptions;
import io.tensorforge.launcher.Platform;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scheduler does under overload: one node in front of a simulated fleet of known
 * capacity, driven open-loop (a constant arrival rate, whatever the answers do) by three tenants
 * whose API keys carry the three priority classes. First a warm-up at the baseline rate (not
 * counted), then the baseline phase (1x the fleet's capacity by default), then the overload
 * phase (3x by default), each drained before the next. Prints per class: offered, served,
 * goodput (served within the class deadline, per second), refusals by error code, end-to-end
 * latency of served requests, and, per model, the time waited for a slot from the node's
 * {@code tf_queue_wait_seconds} histogram (GET /metrics; it has no class label). Then the
 * ratios overload/baseline.
 *
 * <p>Traffic goes to 127.0.0.1 only. The run stops by itself: each phase issues at most
 * {@code rate x seconds} requests, holds at most {@value #MAX_IN_FLIGHT} in flight (the rest are
 * counted as dropped by the driver) and waits at most {@value #DRAIN_MS} ms for stragglers.
 *
 * <pre>java -cp load/target/benchmarks.jar io.tensorforge.load.OverloadRun [seconds=30] [warmupSeconds=20] [overload=3] [baseline=1] [routing=p2c-latency]</pre>
 */
public final class OverloadRun {

  static final String MODEL = "bench-model";
  static final int ENDPOINTS = 2;
  static final int SLOTS = 8;
  static final double MEDIAN_MS = 50;
  static final double P99_MS = 60;
  static final int QUEUE_CAPACITY = 200;
  static final int MAX_IN_FLIGHT = 5_000;
  static final long DRAIN_MS = 10_000;

  /** Class, API key, tenant, default deadline; the mix is 2 critical : 4 standard : 4 sheddable. */
  enum Cls {
    CRITICAL("critical", "bench-key-critical", "gold", 2_000),
    STANDARD("standard", "bench-key-standard", "silver", 1_000),
    SHEDDABLE("sheddable", "bench-key-sheddable", "bronze", 500);

    final String wire;
    final String key;
    final String tenant;
    final long deadlineMs;

    Cls(String wire, String key, String tenant, long deadlineMs) {
      this.wire = wire;
      this.key = key;
      this.tenant = tenant;
      this.deadlineMs = deadlineMs;
    }
  }

  private static final Cls[] MIX = {Cls.CRITICAL, Cls.STANDARD, Cls.SHEDDABLE, Cls.STANDARD, Cls.SHEDDABLE,
      Cls.CRITICAL, Cls.STANDARD, Cls.SHEDDABLE, Cls.STANDARD, Cls.SHEDDABLE};

  private OverloadRun() {}

  /** What one class saw in one phase. Touched only on the driver's event loop. */
  static final class ClassStats {
    long offered;
    long dropped;
    long served;
    long withinDeadline;
    final Map<String, Long> refusals = new TreeMap<>();
    long[] latenciesMicros = new long[1024];
    int n;

    void served(long micros, boolean inTime) {
      served++;
      if (inTime) {
        withinDeadline++;
      }
      if (n == latenciesMicros.length) {
        latenciesMicros = Arrays.copyOf(latenciesMicros, n * 2);
      }
      latenciesMicros[n++] = micros;
    }

    double percentileMs(double p) {
      if (n == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(latenciesMicros, n);
      Arrays.sort(sorted);
      return sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)] / 1000.0;
    }
  }

  record QueueWait(long count, double meanMs, double p50Ms, double p99Ms) {}

  record Phase(String name, double rate, int seconds, Map<Cls, ClassStats> byClass, QueueWait queueWait, double elapsedS,
               Map<String, Long> servedByEndpoint) {
    long total(java.util.function.ToLongFunction<ClassStats> f) {
      return byClass.values().stream().mapToLong(f).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    double overload = args.length > 2 ? Double.parseDouble(args[2]) : 3.0;
    double baseline = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    String routing = args.length > 4 ? args[4] : "p2c-latency";
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    double capacity = ENDPOINTS * SLOTS * 1000.0 / MEDIAN_MS;
    double sigma = Math.log(P99_MS / MEDIAN_MS) / 2.3263;
    double meanMs = MEDIAN_MS * Math.exp(sigma * sigma / 2);

    JsonArray keys = new JsonArray();
    JsonObject deadlines = new JsonObject();
    for (Cls c : Cls.values()) {
      keys.add(new JsonObject().put("key", c.key).put("tenant", c.tenant).put("priority", c.wire));
      deadlines.put(c.wire, c.deadlineMs);
    }
    JsonArray fleet = new JsonArray();
    for (int i = 0; i < ENDPOINTS; i++) {
      fleet.add(new JsonObject().put("id", "sim-" + i).put("port", 0).put("models", new JsonArray().add(MODEL))
          .put("maxConcurrent", SLOTS).put("queueLimit", 64)
          .put("latency", new JsonObject().put("medianMs", MEDIAN_MS).put("p99Ms", P99_MS))
          .put("timePerOutputTokenMs", 0).put("defaultMaxTokens", 1).put("errorRate", 0.0).put("seed", 1000 + i));
    }
    JsonObject overrides = new JsonObject()
        .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("security", new JsonObject().put("apiKeys", keys))
        .put("intake", new JsonObject().put("queueCapacity", QUEUE_CAPACITY).put("perTenantQueueCapacity", QUEUE_CAPACITY)
            .put("deadlines", deadlines))
        .put("routing", new JsonObject().put("defaultStrategy", routing))
        .put("fleet", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("endpoints", fleet));
    Platform platform = Platform.start(new LaunchOptions(null, null, Map.of(), overrides))
        .toCompletionStage().toCompletableFuture().get();
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT).setMaxWaitQueueSize(MAX_IN_FLIGHT));
    Buffer body = new JsonObject().put("model", MODEL).put("max_tokens", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).toBuffer();
    String strategy = platform.settings().routing().strategyFor(MODEL);

    System.out.printf("fleet: %d endpoints x %d slots, latency median %.0f ms / p99 %.0f ms (mean %.1f ms): "
            + "nominal capacity %.0f req/s (slots / median), %.0f req/s by the mean; routing %s; queue capacity %d; "
            + "deadlines critical %d / standard %d / sheddable %d ms; mix 20/40/40%n",
        ENDPOINTS, SLOTS, MEDIAN_MS, P99_MS, meanMs, capacity, ENDPOINTS * SLOTS * 1000.0 / meanMs, strategy, QUEUE_CAPACITY,
        Cls.CRITICAL.deadlineMs, Cls.STANDARD.deadlineMs, Cls.SHEDDABLE.deadlineMs);
    System.out.printf("warm-up at %.1fx (%.0f req/s) for %d s (the JIT needs it; not counted)%n", baseline, baseline * capacity, warmup);
    run(vertx, client, body, "warm-up", baseline * capacity, warmup);
    Phase base = run(vertx, client, body, String.format("baseline %.1fx", baseline), baseline * capacity, seconds);
    Phase over = run(vertx, client, body, String.format("overload %.1fx", overload), overload * capacity, seconds);

    System.out.printf("%n%d s per phase, open loop, %s routing; served by endpoint: baseline %s, overload %s%n",
        seconds, strategy, base.servedByEndpoint(), over.servedByEndpoint());
    System.out.println("| phase | class | offered/s | dropped by driver | served | served/s | goodput/s (within deadline) "
        + "| e2e p50 ms | e2e p99 ms | refused by code |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Phase p : new Phase[] {base, over}) {
      for (Cls c : Cls.values()) {
        ClassStats s = p.byClass().get(c);
        System.out.printf("| %s | %s | %.0f | %d | %d | %.0f | %.0f | %.1f | %.1f | %s |%n", p.name(), c.wire,
            s.offered / (double) p.seconds(), s.dropped, s.served, s.served / (double) p.seconds(),
            s.withinDeadline / (double) p.seconds(), s.percentileMs(0.50), s.percentileMs(0.99), codes(s.refusals));
      }
      System.out.printf("| %s | all | %.0f | %d | %d | %.0f | %.0f | | | |%n", p.name(),
          p.total(s -> s.offered) / (double) p.seconds(), p.total(s -> s.dropped), p.total(s -> s.served),
          p.total(s -> s.served) / (double) p.seconds(), p.total(s -> s.withinDeadline) / (double) p.seconds());
    }
    System.out.printf("%nqueue wait (tf_queue_wait_seconds, model %s, all classes; percentiles are histogram bucket bounds)%n", MODEL);
    System.out.println("| phase | leases | mean ms | p50 ms <= | p99 ms <= |");
    System.out.println("|---|---|---|---|---|");
    for (Phase p : new Phase[] {base, over}) {
      System.out.printf("| %s | %d | %.1f | %.1f | %.1f |%n", p.name(), p.queueWait().count(), p.queueWait().meanMs(), p.queueWait().p50Ms(), p.queueWait().p99Ms());
    }
    System.out.printf("%nratio overload/baseline: served/s %.2f, goodput/s %.2f; critical goodput %.2f, critical e2e p99 %.2f; "
            + "queue wait p99 %.2f%n",
        ratio(over.total(s -> s.served), base.total(s -> s.served)),
        ratio(over.total(s -> s.withinDeadline), base.total(s -> s.withinDeadline)),
        ratio(over.byClass().get(Cls.CRITICAL).withinDeadline, base.byClass().get(Cls.CRITICAL).withinDeadline),
        over.byClass().get(Cls.CRITICAL).percentileMs(0.99) / base.byClass().get(Cls.CRITICAL).percentileMs(0.99),
        over.queueWait().p99Ms() / base.queueWait().p99Ms());

    client.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    platform.close().toCompletionStage().toCompletableFuture().get();
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  private static String codes(Map<String, Long> refusals) {
    if (refusals.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    refusals.forEach((code, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(code).append(' ').append(n));
    return sb.toString();
  }

  private static Phase run(Vertx vertx, HttpClientAgent client, Buffer body, String name, double rate, int seconds)
      throws Exception {
    Map<String, double[]> before = scrapeQueueWait(client);
    long t0 = System.nanoTime();
    Map<Cls, ClassStats> stats = drive(vertx, client, body, rate, seconds).toCompletionStage().toCompletableFuture().get();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Map<String, double[]> after = scrapeQueueWait(client);
    QueueWait wait = queueWait(before, after);
    Map<String, Long> byEndpoint = new TreeMap<>();
    after.forEach((k, v) -> {
      if (k.startsWith("served:")) {
        double b = before.containsKey(k) ? before.get(k)[1] : 0;
        byEndpoint.put(k.substring(7), Math.round(v[1] - b));
      }
    });
    long offered = stats.values().stream().mapToLong(s -> s.offered).sum();
    long served = stats.values().stream().mapToLong(s -> s.served).sum();
    System.out.printf("%s: %.0f req/s for %d s: offered %d, served %d (%.1f s with drain)%n", name, rate, seconds, offered, served, elapsed);
    System.out.printf("  served (200) by endpoint: %s%n", byEndpoint);
    return new Phase(name, rate, seconds, stats, wait, elapsed, byEndpoint);
  }

  /** Issues {@code rate} requests per second for {@code seconds}, then waits for the answers (bounded). */
  private static Future<Map<Cls, ClassStats>> drive(Vertx vertx, HttpClientAgent client, Buffer body, double rate, int seconds) {
    Promise<Map<Cls, ClassStats>> done = Promise.promise();
    Map<Cls, ClassStats> stats = new java.util.EnumMap<>(Cls.class);
    for (Cls c : Cls.values()) {
      stats.put(c, new ClassStats());
    }
    RequestOptions[] options = new RequestOptions[Cls.values().length];
    for (Cls c : Cls.values()) {
      options[c.ordinal()] = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setURI("/v1/chat/completions").setIdleTimeout(DRAIN_MS)
          .putHeader("Authorization", "Bearer " + c.key).putHeader("Content-Type", "application/json");
    }
    long total = (long) (rate * seconds);
    vertx.runOnContext(v -> {
      long start = System.nanoTime();
      long[] issued = {0};
      int[] inFlight = {0};
      long[] drainUntil = {Long.MAX_VALUE};
      vertx.setPeriodic(1, timer -> {
        long now = System.nanoTime();
        long due = Math.min(total, (long) ((now - start) / 1e9 * rate));
        while (issued[0] < due) {
          Cls c = MIX[(int) (issued[0] % MIX.length)];
          issued[0]++;
          ClassStats s = stats.get(c);
          s.offered++;
          if (inFlight[0] >= MAX_IN_FLIGHT) {
            s.dropped++;
            continue;
          }
          inFlight[0]++;
          long sent = System.nanoTime();
          client.request(options[c.ordinal()])
              .compose(req -> req.send(body))
              .compose(resp -> resp.body().map(b -> {
                if (resp.statusCode() == 200) {
                  return "ok";
                }
                try {
                  return b.toJsonObject().getJsonObject("error").getString("code");
                } catch (RuntimeException e) {
                  return "http_" + resp.statusCode();
                }
              }))
              .onComplete(ar -> {
                inFlight[0]--;
                long micros = (System.nanoTime() - sent) / 1000;
                if (ar.failed()) {
                  s.refusals.merge("client:" + ar.cause().getClass().getSimpleName(), 1L, Long::sum);
                } else if ("ok".equals(ar.result())) {
                  s.served(micros, micros <= c.deadlineMs * 1000);
                } else {
                  s.refusals.merge(ar.result(), 1L, Long::sum);
                }
              });
        }
        if (issued[0] >= total) {
          if (drainUntil[0] == Long.MAX_VALUE) {
            drainUntil[0] = now + DRAIN_MS * 1_000_000;
          }
          if (inFlight[0] == 0 || now > drainUntil[0]) {
            vertx.cancelTimer(timer);
            if (inFlight[0] > 0) {
              stats.get(Cls.STANDARD).refusals.merge("driver:unanswered_at_drain", (long) inFlight[0], Long::sum);
            }
            done.complete(stats);
          }
        }
      });
    });
    return done.future();
  }

  /** The cumulative {@code tf_queue_wait_seconds} histogram of the model: le (seconds) → count, plus _sum and _count. */
  private static Map<String, double[]> scrapeQueueWait(HttpClientAgent client) throws Exception {
    String text = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setURI("/metrics"))
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .toCompletionStage().toCompletableFuture().get().toString();
    Map<String, double[]> out = new TreeMap<>();
    String modelTag = "model=\"" + MODEL + "\"";
    for (String line : text.split("\n")) {
      if (line.startsWith("tf_requests_total{") && line.contains(modelTag) && line.contains("status=\"200\"")) {
        int i = line.indexOf("endpoint=\"") + 10;
        out.put("served:" + line.substring(i, line.indexOf('"', i)),
            new double[] {0, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))});
        continue;
      }
      if (!line.startsWith("tf_queue_wait_seconds") || !line.contains(modelTag)) {
        continue;
      }
      double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      if (line.startsWith("tf_queue_wait_seconds_bucket")) {
        int i = line.indexOf("le=\"") + 4;
        String le = line.substring(i, line.indexOf('"', i));
        out.put(le, new double[] {"+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value});
      } else if (line.startsWith("tf_queue_wait_seconds_sum")) {
        out.put("_sum", new double[] {0, value});
      } else if (line.startsWith("tf_queue_wait_seconds_count")) {
        out.put("_count", new double[] {0, value});
      }
    }
    return out;
  }

  private static QueueWait queueWait(Map<String, double[]> before, Map<String, double[]> after) {
    double count = delta(before, after, "_count");
    double sum = delta(before, after, "_sum");
    double[][] buckets = after.entrySet().stream().filter(e -> !e.getKey().startsWith("_") && !e.getKey().startsWith("served:"))
        .map(e -> new double[] {e.getValue()[0], delta(before, after, e.getKey())})
        .sorted((a, b) -> Double.compare(a[0], b[0])).toArray(double[][]::new);
    return new QueueWait((long) count, count == 0 ? Double.NaN : sum / count * 1000,
        bucketBound(buckets, count, 0.50) * 1000, bucketBound(buckets, count, 0.99) * 1000);
  }

  private static double delta(Map<String, double[]> before, Map<String, double[]> after, String key) {
    double a = after.containsKey(key) ? after.get(key)[1] : 0;
    double b = before.containsKey(key) ? before.get(key)[1] : 0;
    return a - b;
  }

  /** The upper bound of the first cumulative bucket holding at least {@code p} of the count. */
  private static double bucketBound(double[][] cumulative, double count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    for (double[] b : cumulative) {
      if (b[1] >= p * count) {
        return b[0];
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
