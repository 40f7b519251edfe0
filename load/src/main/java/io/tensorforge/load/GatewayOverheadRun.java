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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway costs on the request path: the same closed-loop load sent straight to a
 * simulated endpoint (the baseline) and through the gateway to that endpoint, in one run.
 * Prints requests per second and latency percentiles for each, and the ratios.
 *
 * <pre>java -cp load/target/benchmarks.jar io.tensorforge.load.GatewayOverheadRun [seconds] [concurrency]</pre>
 */
public final class GatewayOverheadRun {

  private static final String KEY = "tf-demo-key-0001";

  private GatewayOverheadRun() {}

  record Result(String name, int requests, int errors, double seconds, long[] latenciesMicros) {
    double rps() {
      return requests / seconds;
    }

    long percentile(double p) {
      long[] sorted = Arrays.copyOf(latenciesMicros, requests);
      Arrays.sort(sorted);
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject overrides = new JsonObject()
        .put("gateway", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("intake", new JsonObject().put("queueCapacity", 100_000))
        .put("fleet", new JsonObject().put("enabled", true).put("endpoints", new JsonArray().add(new JsonObject()
            .put("id", "bench").put("port", 0).put("models", new JsonArray().add("bench-model"))
            .put("maxConcurrent", 1024).put("queueLimit", 4096)
            .put("latency", new JsonObject().put("medianMs", 1).put("p99Ms", 2))
            .put("timePerOutputTokenMs", 0).put("defaultMaxTokens", 1))));
    Platform platform = Platform.start(new LaunchOptions(null, null, Map.of(), overrides))
        .toCompletionStage().toCompletableFuture().get();
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    String direct = platform.fleetUrls().get("bench") + "/v1/chat/completions";
    String gateway = "http://127.0.0.1:" + port + "/v1/chat/completions";
    Buffer body = new JsonObject().put("model", "bench-model").put("max_tokens", 1)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).toBuffer();

    System.out.printf("warming up both paths for %d s each (the JIT needs it)%n", Math.max(10, seconds / 2));
    drive(vertx, client, direct, body, concurrency, Math.max(10, seconds / 2), "warm-up direct").toCompletionStage().toCompletableFuture().get();
    drive(vertx, client, gateway, body, concurrency, Math.max(10, seconds / 2), "warm-up gateway").toCompletionStage().toCompletableFuture().get();
    Result baseline = drive(vertx, client, direct, body, concurrency, seconds, "direct to endpoint (baseline)").toCompletionStage().toCompletableFuture().get();
    Result through = drive(vertx, client, gateway, body, concurrency, seconds, "through the gateway").toCompletionStage().toCompletableFuture().get();

    System.out.printf("%nconcurrency %d, %d s per path, endpoint median 1 ms%n", concurrency, seconds);
    System.out.printf("| path | requests/s | p50 ms | p99 ms | errors |%n|---|---|---|---|---|%n");
    for (Result r : new Result[] {baseline, through}) {
      System.out.printf("| %s | %.0f | %.2f | %.2f | %d |%n", r.name(), r.rps(), r.percentile(0.50) / 1000.0, r.percentile(0.99) / 1000.0, r.errors());
    }
    System.out.printf("ratio gateway/baseline: throughput %.2f, p50 %.2f, p99 %.2f%n",
        through.rps() / baseline.rps(),
        (double) through.percentile(0.50) / baseline.percentile(0.50),
        (double) through.percentile(0.99) / baseline.percentile(0.99));
    client.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    platform.close().toCompletionStage().toCompletableFuture().get();
  }

  private static Future<Result> drive(Vertx vertx, HttpClientAgent client, String url, Buffer body, int concurrency,
                                      int seconds, String name) {
    Promise<Result> done = Promise.promise();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long start = System.nanoTime();
    long[] latencies = new long[5_000_000];
    AtomicInteger count = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger running = new AtomicInteger(concurrency);
    AtomicLong finishedAt = new AtomicLong();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Authorization", "Bearer " + KEY).putHeader("Content-Type", "application/json");
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      if (System.nanoTime() > end) {
        if (running.decrementAndGet() == 0) {
          finishedAt.set(System.nanoTime());
          int n = Math.min(count.get(), latencies.length);
          done.complete(new Result(name, n, errors.get(), (finishedAt.get() - start) / 1e9, latencies));
        }
        return;
      }
      long t0 = System.nanoTime();
      client.request(options)
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            if (ar.failed() || ar.result() != 200) {
              errors.incrementAndGet();
            } else {
              int i = count.getAndIncrement();
              if (i < latencies.length) {
                latencies[i] = (System.nanoTime() - t0) / 1000;
              }
            }
            loop[0].run();
          });
    };
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> loop[0].run());
    }
    return done.future();
  }
}
