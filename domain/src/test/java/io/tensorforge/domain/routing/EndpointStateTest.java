package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointStateTest {

  private static EndpointState endpoint(int maxConcurrent, double latencyMs) {
    EndpointState e = new EndpointState(new EndpointSpec("e", "http://e", List.of("m"), maxConcurrent), true,
        new LatencyEstimate(1000, 0));
    if (latencyMs >= 0) {
      e.latency().observe(latencyMs, 0);
    }
    return e;
  }

  @Test
  void noWaitWhileASlotIsFree() {
    EndpointState e = endpoint(2, 100);
    assertEquals(100.0, e.expectedFinishMs(0));
    e.start(1, 0);
    assertTrue(e.hasFreeSlot());
    assertEquals(100.0, e.expectedFinishMs(0));
  }

  @Test
  void waitGrowsWhenFull() {
    EndpointState e = endpoint(2, 100);
    e.start(1, 0);
    e.start(2, 0);
    assertFalse(e.hasFreeSlot());
    // one slot must free: one service time shared by two slots
    assertEquals(150.0, e.expectedFinishMs(0));

    EndpointState single = endpoint(1, 100);
    single.start(1, 0);
    assertEquals(200.0, single.expectedFinishMs(0));
  }

  @Test
  void unknownLatencyScoresZeroWhileIdle() {
    EndpointState e = endpoint(1, -1);
    assertEquals(0.0, e.expectedFinishMs(0));
    assertEquals(0.0, e.serviceEstimateMs(0));
  }

  @Test
  void serviceEstimateTakesTheOldestInFlightAgeWhenLonger() {
    EndpointState e = endpoint(4, 100);
    e.start(1, 0);
    e.start(2, 100);
    assertEquals(100.0, e.serviceEstimateMs(50), "younger than the average: the average");
    assertEquals(250.0, e.serviceEstimateMs(250), "the oldest request has run 250 ms");
    assertEquals(250, e.oldestInFlightAgeMs(250));
    assertEquals(250.0, e.expectedFinishMs(250));

    assertTrue(e.finish(1, 260, 260, true)); // observation 260 > 100: taken at once
    assertEquals(260.0, e.latency().averageMs(260));
    assertEquals(180, e.oldestInFlightAgeMs(280), "lease 2 is now the oldest");
    assertEquals(260 * Math.exp(-20 / 1000.0), e.serviceEstimateMs(280), 1e-9, "the peak of 260 fades with time");
    assertEquals(300.0, e.serviceEstimateMs(400));
  }

  @Test
  void oldestAgeIsZeroWhenIdle() {
    EndpointState e = endpoint(1, 100);
    assertEquals(0, e.oldestInFlightAgeMs(1000));
    assertEquals(100.0, e.serviceEstimateMs(1000));
  }

  @Test
  void finishOfAnUnknownLeaseReturnsFalse() {
    EndpointState e = endpoint(2, 100);
    assertFalse(e.finish(42, 10, 5, true));
    e.start(1, 0);
    assertTrue(e.finish(1, 10, 10, true));
    assertFalse(e.finish(1, 20, 10, true), "finished twice");
    assertEquals(1, e.served());
    assertEquals(0, e.inFlight());
  }

  @Test
  void aFailureFreesTheSlotAndTeachesTheLatencyItIsGiven() {
    EndpointState e = endpoint(1, 100);
    e.start(1, 0);
    assertTrue(e.finish(1, 5000, 5000, false));
    assertEquals(1, e.failed());
    assertEquals(0, e.served());
    assertEquals(5000.0, e.latency().averageMs(5000), "a failing endpoint must not look fast");
    assertTrue(e.hasFreeSlot());
  }

  @Test
  void anAbandonedLeaseFreesTheSlotAndTeachesNothing() {
    EndpointState e = endpoint(1, 100);
    e.start(1, 0);
    assertTrue(e.abandon(1));
    assertFalse(e.abandon(1), "abandoned twice");
    assertEquals(0, e.failed());
    assertEquals(0, e.served());
    assertEquals(100.0, e.latency().averageMs(10));
    assertTrue(e.hasFreeSlot());
  }

  @Test
  void respecChangesCapacityButKeepsLoad() {
    EndpointState e = endpoint(1, 100);
    e.start(1, 0);
    assertFalse(e.hasFreeSlot());
    e.respec(new EndpointSpec("e", "http://e2", List.of("m"), 3));
    assertEquals(1, e.inFlight());
    assertEquals(3, e.maxConcurrent());
    assertTrue(e.hasFreeSlot());
  }
}
