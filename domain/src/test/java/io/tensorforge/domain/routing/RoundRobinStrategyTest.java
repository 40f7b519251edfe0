package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundRobinStrategyTest {

  private static EndpointState endpoint(String id, int maxConcurrent) {
    return new EndpointState(new EndpointSpec(id, "http://" + id, List.of("m"), maxConcurrent), true,
        new LatencyEstimate(1000, 0));
  }

  private static List<String> picks(RoutingStrategy s, List<EndpointState> es, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(s.choose(es, 0, new SplittableRandom(i)).orElseThrow().endpoint().id());
    }
    return out;
  }

  @Test
  void rotates() {
    List<EndpointState> es = List.of(endpoint("a", 1), endpoint("b", 1), endpoint("c", 1));
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), picks(new RoundRobinStrategy(), es, 7));
  }

  @Test
  void skipsFullEndpoints() {
    EndpointState b = endpoint("b", 1);
    b.start(1, 0);
    List<EndpointState> es = List.of(endpoint("a", 1), b, endpoint("c", 1));
    assertEquals(List.of("a", "c", "a", "c", "a"), picks(new RoundRobinStrategy(), es, 5));
  }

  @Test
  void whenAllAreFullItOffersOneThatCannotStartAndKeepsItsPlace() {
    EndpointState a = endpoint("a", 1);
    EndpointState b = endpoint("b", 1);
    RoundRobinStrategy s = new RoundRobinStrategy();
    List<EndpointState> es = List.of(a, b);
    assertEquals("a", s.choose(es, 0, new SplittableRandom(1)).orElseThrow().endpoint().id());
    a.start(1, 0);
    b.start(2, 0);
    RoutingChoice full = s.choose(es, 0, new SplittableRandom(1)).orElseThrow();
    assertEquals("b", full.endpoint().id());
    assertFalse(full.canStartNow());
    assertEquals(List.of(new Candidate("b", 0, 1, 1)), full.decision().candidates());
    b.finish(2, 1, 1, true);
    RoutingChoice next = s.choose(es, 0, new SplittableRandom(1)).orElseThrow();
    assertEquals("b", next.endpoint().id(), "the turn was not consumed while all were full");
    assertTrue(next.canStartNow());
    assertEquals("round-robin", next.decision().strategy());
  }

  @Test
  void copesWithTheListShrinking() {
    RoundRobinStrategy s = new RoundRobinStrategy();
    List<EndpointState> three = List.of(endpoint("a", 1), endpoint("b", 1), endpoint("c", 1));
    assertEquals(List.of("a", "b", "c"), picks(s, three, 3));
    List<EndpointState> two = List.of(three.get(0), three.get(1));
    assertEquals(List.of("b", "a"), picks(s, two, 2)); // cursor 3 mod 2 = 1
  }

  @Test
  void noEndpointsNoChoice() {
    assertEquals(Optional.empty(), new RoundRobinStrategy().choose(List.of(), 0, new SplittableRandom(1)));
  }

  @Test
  void factoryKnowsEveryNameAndRejectsOthers() {
    assertEquals("round-robin", RoutingStrategies.create("round-robin").name());
    assertEquals("least-outstanding", RoutingStrategies.create("least-outstanding").name());
    assertEquals("p2c-latency", RoutingStrategies.create("p2c-latency").name());
    assertThrows(IllegalArgumentException.class, () -> RoutingStrategies.create("random"));
  }
}
