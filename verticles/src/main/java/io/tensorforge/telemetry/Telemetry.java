package io.tensorforge.telemetry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Makes the node's meter registry: Prometheus text on {@code GET /metrics}. */
public final class Telemetry {

  private Telemetry() {}

  /**
   * A new registry. It carries no node tag: the registry exists before the configuration is
   * read, and Prometheus labels each scrape target with its instance anyway.
   */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
