package io.tensorforge.telemetry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Makes the node's meter registry: Prometheus text on {@code GET /metrics}. */
public final class Telemetry {

  private Telemetry() {}

  public static PrometheusMeterRegistry newRegistry(String nodeName) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeName);
    return registry;
  }
}
