package io.tensorforge.domain.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.RoutingStrategies;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Under overload the scheduler must not leave slots idle while requests wait: a queued request
 * that would wait for a busy fast endpoint spills to a free, slightly slower one once the queue
 * behind it makes the wait longer than the slower service.
 */
class SchedulerWorkConservingTest {

  private final Scheduler s = new Scheduler(new SchedulerSettings(1000, 5_000, 0),
      m -> RoutingStrategies.create("p2c-latency"), new SplittableRandom(1));
  private long nextId = 1;

  private Admission admit(long now) {
    return s.admit(new Ticket(nextId++, "m", now, now + 60_000), now);
  }

  @Test
  void aDeepQueueSpillsToAFreeSlowerEndpointInsteadOfWaiting() {
    s.upsertEndpoint(new EndpointSpec("fast", "http://fast", List.of("m"), 8), true, 0);
    s.upsertEndpoint(new EndpointSpec("slower", "http://slower", List.of("m"), 8), true, 0);
    s.endpoint("fast").orElseThrow().latency().observe(50, 0);
    s.endpoint("slower").orElseThrow().latency().observe(60, 0);
    List<Lease> onFast = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      onFast.add(assertInstanceOf(Admission.Started.class, admit(1)).lease());
    }
    onFast.forEach(l -> assertEquals("fast", l.endpointId(), "50 ms beats 60 ms while the fast one has room"));
    // the fast one is full: one waiter alone would still wait for it (6.25 + 50 < 60) ...
    assertInstanceOf(Admission.Queued.class, admit(2));
    // ... but with more requests behind, waiting costs more than the slower endpoint's 60 ms
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(Admission.Queued.class, admit(2));
    }
    List<Dispatch> started = s.release(onFast.get(0).id(), 50, true, 3);
    assertEquals("fast", started.get(0).lease().endpointId(), "the freed fast slot goes to the head");
    long spilled = started.stream().filter(d -> d.lease().endpointId().equals("slower")).count();
    assertTrue(spilled >= 1, "waiting requests spill to the idle slower endpoint: " + started);
    assertTrue(started.stream().skip(1).allMatch(d -> d.lease().decision().strategy().endsWith("+spill")));
    assertEquals(6 - started.size(), s.queueDepth());
  }

  @Test
  void aShortQueueWaitsForTheMuchFasterEndpoint() {
    s.upsertEndpoint(new EndpointSpec("fast", "http://fast", List.of("m"), 2), true, 0);
    s.upsertEndpoint(new EndpointSpec("slow", "http://slow", List.of("m"), 2), true, 0);
    s.endpoint("fast").orElseThrow().latency().observe(5, 0);
    s.endpoint("slow").orElseThrow().latency().observe(200, 0);
    Lease a = assertInstanceOf(Admission.Started.class, admit(1)).lease();
    assertInstanceOf(Admission.Started.class, admit(1));
    assertInstanceOf(Admission.Queued.class, admit(1));
    assertInstanceOf(Admission.Queued.class, admit(1));
    List<Dispatch> started = s.release(a.id(), 5, true, 6);
    assertEquals(1, started.size(), "one freed fast slot, one start; the slow endpoint stays unused");
    assertEquals("fast", started.get(0).lease().endpointId());
  }
}
