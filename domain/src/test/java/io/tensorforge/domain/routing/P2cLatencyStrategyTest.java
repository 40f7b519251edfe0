package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class P2cLatencyStrategyTest {

  private static EndpointState endpoint(String id, int maxConcurrent, double latencyMs) {
    EndpointState e = new EndpointState(new EndpointSpec(id, "http://" + id, List.of("m"), maxConcurrent), true,
        new LatencyEstimate(1000, 0));
    if (latencyMs >= 0) {
      e.latency().observe(latencyMs, 0);
    }
    return e;
  }

  private static RoutingChoice choose(RoutingStrategy s, List<EndpointState> es, long now) {
    return s.choose(es, now, new SplittableRandom(1)).orElseThrow();
  }

  @Test
  void picksTheLowestExpectedFinishAndRecordsEveryCandidate() {
    EndpointState slow = endpoint("slow", 4, 200);
    EndpointState fast = endpoint("fast", 4, 10);
    EndpointState mid = endpoint("mid", 4, 50);
    RoutingChoice c = choose(new P2cLatencyStrategy(16), List.of(slow, fast, mid), 0);

    assertEquals("fast", c.endpoint().id());
    assertTrue(c.canStartNow());
    RoutingDecision d = c.decision();
    assertEquals("p2c-latency", d.strategy());
    assertEquals("fast", d.chosen());
    assertEquals(List.of(
        new Candidate("slow", 200.0, 0, 4),
        new Candidate("fast", 10.0, 0, 4),
        new Candidate("mid", 50.0, 0, 4)), d.candidates());
  }

  @Test
  void aBusyFastEndpointCanBeatAnIdleSlowOne() {
    EndpointState fast = endpoint("fast", 1, 10);
    EndpointState slow = endpoint("slow", 1, 200);
    fast.start(1, 0);
    RoutingChoice c = choose(new P2cLatencyStrategy(16), List.of(slow, fast), 0);

    assertEquals("fast", c.endpoint().id());
    assertFalse(c.canStartNow(), "the caller must wait for the fast endpoint");
    assertEquals(List.of(new Candidate("slow", 200.0, 0, 1), new Candidate("fast", 20.0, 1, 1)),
        c.decision().candidates());
  }

  @Test
  void aBusyEndpointLosesOnceItsWaitOutweighsTheDifference() {
    EndpointState fast = endpoint("fast", 1, 100);
    EndpointState slow = endpoint("slow", 1, 150);
    fast.start(1, 0);
    RoutingChoice c = choose(new P2cLatencyStrategy(16), List.of(fast, slow), 0);
    assertEquals("slow", c.endpoint().id()); // 100 + 100 wait > 150
    assertTrue(c.canStartNow());
  }

  @Test
  void aStuckRequestMakesItsEndpointLookSlow() {
    EndpointState fast = endpoint("fast", 2, 10);
    EndpointState slow = endpoint("slow", 2, 200);
    fast.start(1, 0);
    P2cLatencyStrategy s = new P2cLatencyStrategy(16);
    assertEquals("fast", choose(s, List.of(fast, slow), 150).endpoint().id());
    assertEquals("slow", choose(s, List.of(fast, slow), 250).endpoint().id(), "running 250 ms > 200");
  }

  @Test
  void anUnknownEndpointIsTriedFirst() {
    EndpointState known = endpoint("known", 4, 5);
    EndpointState fresh = endpoint("fresh", 4, -1);
    RoutingChoice c = choose(new P2cLatencyStrategy(16), List.of(known, fresh), 0);
    assertEquals("fresh", c.endpoint().id());
    assertEquals(0.0, c.decision().candidates().get(1).score());
  }

  @Test
  void tiesGoToAFreeSlotThenToTheLessLoaded() {
    // all unknown: every score is 0
    EndpointState full = endpoint("full", 1, -1);
    EndpointState half = endpoint("half", 2, -1);
    EndpointState idle = endpoint("idle", 2, -1);
    full.start(1, 0);
    half.start(2, 0);
    P2cLatencyStrategy s = new P2cLatencyStrategy(16);
    assertEquals("idle", choose(s, List.of(full, half, idle), 0).endpoint().id());
    assertEquals("half", choose(s, List.of(full, half), 0).endpoint().id());
    EndpointState idle2 = endpoint("idle2", 2, -1);
    assertEquals("idle", choose(s, List.of(idle, idle2), 0).endpoint().id(), "full tie: first registered");
  }

  @Test
  void scoresAllSixteenEndpoints() {
    List<EndpointState> es = fleet(16);
    RoutingChoice c = RoutingStrategies.create("p2c-latency").choose(es, 0, new SplittableRandom(3)).orElseThrow();
    assertEquals(16, c.decision().candidates().size());
    assertEquals("e00", c.endpoint().id(), "the fastest of all");
  }

  @Test
  void beyondSixteenEndpointsSamplesExactlyTwo() {
    List<EndpointState> es = fleet(20);
    RoutingStrategy s = RoutingStrategies.create("p2c-latency");
    SplittableRandom random = new SplittableRandom(7);
    SplittableRandom mirror = new SplittableRandom(7);
    Set<String> seen = new HashSet<>();
    Set<String> chosen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      RoutingChoice c = s.choose(es, 0, random).orElseThrow();
      List<Candidate> cs = c.decision().candidates();
      assertEquals(2, cs.size());
      // the two sampled are distinct, and exactly the ones the seeded generator designates
      int a = mirror.nextInt(20);
      int b = mirror.nextInt(19);
      if (b >= a) {
        b++;
      }
      assertEquals(List.of(es.get(a).id(), es.get(b).id()), List.of(cs.get(0).endpointId(), cs.get(1).endpointId()));
      assertNotEquals(cs.get(0).endpointId(), cs.get(1).endpointId());
      // the better of the two wins (latencies are distinct: e00 fastest)
      String best = cs.get(0).score() < cs.get(1).score() ? cs.get(0).endpointId() : cs.get(1).endpointId();
      assertEquals(best, c.endpoint().id());
      assertEquals(best, c.decision().chosen());
      cs.forEach(x -> seen.add(x.endpointId()));
      chosen.add(best);
    }
    assertEquals(20, seen.size(), "every endpoint gets sampled");
    assertEquals(19, chosen.size(), "every endpoint but the slowest wins sometimes");
    assertFalse(chosen.contains("e19"));
  }

  @Test
  void samplingIsDeterministicForASeed() {
    List<EndpointState> es = fleet(40);
    assertEquals(picks(es, 99), picks(es, 99));
    assertNotEquals(picks(es, 99), picks(es, 100));
  }

  @Test
  void noEndpointsNoChoice() {
    assertEquals(Optional.empty(), new P2cLatencyStrategy(16).choose(List.of(), 0, new SplittableRandom(1)));
  }

  private static List<String> picks(List<EndpointState> es, long seed) {
    RoutingStrategy s = RoutingStrategies.create("p2c-latency");
    SplittableRandom random = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RoutingDecision d = s.choose(es, 0, random).orElseThrow().decision();
      out.add(d.candidates().get(0).endpointId() + "," + d.candidates().get(1).endpointId() + "->" + d.chosen());
    }
    return out;
  }

  /** n idle endpoints, e00 the fastest, latency 10 ms more per index. */
  private static List<EndpointState> fleet(int n) {
    List<EndpointState> es = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      es.add(endpoint(String.format("e%02d", i), 4, 10 + 10 * i));
    }
    return es;
  }
}
