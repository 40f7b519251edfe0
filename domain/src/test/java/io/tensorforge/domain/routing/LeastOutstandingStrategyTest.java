package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastOutstandingStrategyTest {

  private static EndpointState endpoint(String id, int maxConcurrent, int inFlight, double latencyMs) {
    EndpointState e = new EndpointState(new EndpointSpec(id, "http://" + id, List.of("m"), maxConcurrent), true,
        new LatencyEstimate(1000, 0));
    e.latency().observe(latencyMs, 0);
    for (int i = 0; i < inFlight; i++) {
      e.start(100L * id.hashCode() + i, 0);
    }
    return e;
  }

  private static RoutingChoice choose(List<EndpointState> es) {
    return new LeastOutstandingStrategy().choose(es, 0, new SplittableRandom(1)).orElseThrow();
  }

  @Test
  void picksTheLowestShareOfSlotsInUse() {
    List<EndpointState> es = List.of(endpoint("a", 4, 2, 10), endpoint("b", 4, 1, 10), endpoint("c", 2, 1, 10));
    RoutingChoice c = choose(es);
    assertEquals("b", c.endpoint().id());
    assertTrue(c.canStartNow());
    assertEquals("least-outstanding", c.decision().strategy());
    assertEquals(List.of(new Candidate("a", 0.5, 2, 4), new Candidate("b", 0.25, 1, 4), new Candidate("c", 0.5, 1, 2)),
        c.decision().candidates());
  }

  @Test
  void isBlindToSpeedAndBreaksTiesByRegistration() {
    List<EndpointState> es = List.of(endpoint("slow", 2, 1, 500), endpoint("fast", 2, 1, 5));
    assertEquals("slow", choose(es).endpoint().id());
  }

  @Test
  void allFullGivesAChoiceThatCannotStart() {
    List<EndpointState> es = List.of(endpoint("a", 1, 1, 10), endpoint("b", 2, 2, 10));
    RoutingChoice c = choose(es);
    assertEquals("a", c.endpoint().id());
    assertFalse(c.canStartNow());
  }

  @Test
  void noEndpointsNoChoice() {
    assertEquals(Optional.empty(), new LeastOutstandingStrategy().choose(List.of(), 0, new SplittableRandom(1)));
  }
}
