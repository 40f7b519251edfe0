package io.tensorforge.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway records for every data-plane request: a count and a latency histogram by
 * model, endpoint and status, and the time spent waiting for a slot. Each gateway instance has
 * its own, used only from its event loop: the meters are looked up in a plain map instead of
 * being rebuilt and registered on every request.
 */
public final class RequestMetrics {

  /** The endpoint tag of a request that never reached one. */
  public static final String NO_ENDPOINT = "none";

  private record Key(String model, String endpoint, int status) {}

  private record Meters(Counter requests, Timer duration) {}

  private final MeterRegistry registry;
  private final Map<Key, Meters> byKey = new HashMap<>();
  private final Map<String, Timer> queueWaitByModel = new HashMap<>();

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void completed(String model, String endpoint, int status, long durationNanos) {
    Meters m = byKey.computeIfAbsent(new Key(model, endpoint, status), this::register);
    m.requests().increment();
    m.duration().record(durationNanos, TimeUnit.NANOSECONDS);
  }

  public void queued(String model, long waitedMs) {
    queueWaitByModel.computeIfAbsent(model, m -> Timer.builder("tf.queue.wait")
            .description("time a request waited for an endpoint slot")
            .tags("model", m)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry))
        .record(waitedMs, TimeUnit.MILLISECONDS);
  }

  private Meters register(Key k) {
    String status = Integer.toString(k.status());
    return new Meters(
        Counter.builder("tf.requests")
            .description("data-plane requests by model, endpoint and HTTP status")
            .tags("model", k.model(), "endpoint", k.endpoint(), "status", status)
            .register(registry),
        Timer.builder("tf.request.duration")
            .description("time from arrival to the last byte of the answer")
            .tags("model", k.model(), "endpoint", k.endpoint(), "status", status)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry));
  }
}
