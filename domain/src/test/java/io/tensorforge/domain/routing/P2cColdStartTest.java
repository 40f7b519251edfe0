package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A burst on a cold fleet: one probe per unknown endpoint, then an even spread, never a pile-up on the youngest probe. */
class P2cColdStartTest {

  private static EndpointState cold(String id) {
    return new EndpointState(new EndpointSpec(id, "http://" + id, List.of("m"), 32), true, new LatencyEstimate(5_000, 3_000));
  }

  @Test
  void aColdBurstSpreadsEvenlyAndAKnownEndpointEndsTheProbing() {
    List<EndpointState> fleet = List.of(cold("a"), cold("b"), cold("c"));
    P2cLatencyStrategy p2c = new P2cLatencyStrategy(16);
    SplittableRandom random = new SplittableRandom(1);
    List<String> picks = new ArrayList<>();
    long lease = 1;
    for (int i = 0; i < 9; i++) {
      // each pick a millisecond later: the newest probe is always the youngest
      EndpointState e = p2c.choose(fleet, i, random).orElseThrow().endpoint();
      e.start(lease++, i);
      picks.add(e.id());
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), picks);

    // 'a' answers first: it is known, the others are still probing, so 'a' takes everything
    EndpointState a = fleet.get(0);
    a.finish(1, 10, 10, true);
    for (int i = 0; i < 5; i++) {
      assertEquals("a", p2c.choose(fleet, 11 + i, random).orElseThrow().endpoint().id());
    }
  }
}
