package io.tensorforge.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway records for every data-plane request: a count and a latency histogram by
 * model, endpoint and status, and the time spent waiting for a slot.
 */
public final class RequestMetrics {

  /** The endpoint tag of a request that never reached one. */
  public static final String NO_ENDPOINT = "none";

  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void completed(String model, String endpoint, int status, long durationNanos) {
    String statusTag = Integer.toString(status);
    Counter.builder("tf.requests")
        .description("data-plane requests by model, endpoint and HTTP status")
        .tags("model", model, "endpoint", endpoint, "status", statusTag)
        .register(registry)
        .increment();
    Timer.builder("tf.request.duration")
        .description("time from arrival to the last byte of the answer")
        .tags("model", model, "endpoint", endpoint, "status", statusTag)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry)
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  public void queued(String model, long waitedMs) {
    Timer.builder("tf.queue.wait")
        .description("time a request waited for an endpoint slot")
        .tags("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry)
        .record(waitedMs, TimeUnit.MILLISECONDS);
  }
}
