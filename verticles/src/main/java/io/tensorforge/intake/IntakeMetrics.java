package io.tensorforge.intake;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tensorforge.domain.intake.Scheduler;
import io.tensorforge.domain.routing.EndpointState;
import java.util.HashMap;
import java.util.Map;

/**
 * Intake's gauges: queue depth, leases held, and in-flight requests per endpoint. The gauges
 * read the scheduler's counters when scraped; a scrape may see a value a moment old.
 */
final class IntakeMetrics {

  private final MeterRegistry registry;
  private final Map<String, Gauge> inFlightGauges = new HashMap<>();

  IntakeMetrics(MeterRegistry registry, Scheduler scheduler) {
    this.registry = registry;
    Gauge.builder("tf.queue.depth", scheduler, Scheduler::queueDepth)
        .description("requests waiting for an endpoint slot on this node")
        .strongReference(true)
        .register(registry);
    Gauge.builder("tf.leases.held", scheduler, Scheduler::leasesHeld)
        .description("endpoint slots held by requests in flight on this node")
        .strongReference(true)
        .register(registry);
  }

  void endpointAdded(EndpointState state) {
    inFlightGauges.computeIfAbsent(state.id(), id -> Gauge.builder("tf.endpoint.in_flight", state, EndpointState::inFlight)
        .description("requests in flight to the endpoint from this node")
        .tag("endpoint", id)
        .strongReference(true)
        .register(registry));
  }

  void endpointRemoved(String id) {
    Gauge g = inFlightGauges.remove(id);
    if (g != null) {
      registry.remove(g);
    }
  }
}
