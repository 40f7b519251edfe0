package io.tensorforge.domain.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.RoutingStrategies;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private static Scheduler scheduler(int queueCapacity, String strategy) {
    return new Scheduler(new SchedulerSettings(queueCapacity, 1000, 0), m -> RoutingStrategies.create(strategy),
        new SplittableRandom(1));
  }

  private static EndpointSpec spec(String id, int maxConcurrent, String... models) {
    return new EndpointSpec(id, "http://" + id, List.of(models), maxConcurrent);
  }

  private static Ticket ticket(long id, String model, long now) {
    return new Ticket(id, model, now, now + 10_000);
  }

  private static Lease started(Admission a) {
    return assertInstanceOf(Admission.Started.class, a).lease();
  }

  private static Admission.Refused refused(Admission a) {
    return assertInstanceOf(Admission.Refused.class, a);
  }

  private static Admission.Queued queued(Admission a) {
    return assertInstanceOf(Admission.Queued.class, a);
  }

  /** Teaches the scheduler an endpoint's latency by running one request on it alone. */
  private static void teach(Scheduler s, String endpointId, double latencyMs, long now) {
    EndpointState e = s.endpoint(endpointId).orElseThrow();
    e.latency().observe(latencyMs, now);
  }

  @Test
  void unknownModelIsRefused() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Admission.Refused r = refused(s.admit(ticket(1, "other", 0), 0));
    assertEquals(ErrorCode.MODEL_NOT_FOUND, r.code());
    assertEquals(0, r.retryAfterMs());
    assertEquals(0, s.queueDepth());
  }

  @Test
  void allEndpointsDownIsNoHealthyEndpoint() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), false, 0);
    s.upsertEndpoint(spec("e2", 1, "m"), true, 0);
    s.setUp("e2", false, 0);
    Admission.Refused r = refused(s.admit(ticket(1, "m", 0), 0));
    assertEquals(ErrorCode.NO_HEALTHY_ENDPOINT, r.code());
    assertEquals(1000, r.retryAfterMs());
    assertEquals(0, s.queueDepth());
    assertEquals(0, s.leasesHeld());
  }

  @Test
  void startsWhileSlotsAreFreeThenQueuesThenRefusesWhenTheQueueIsFull() {
    Scheduler s = scheduler(2, "round-robin");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 1, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    Lease l2 = started(s.admit(ticket(2, "m", 0), 0));
    assertEquals("e1", l1.endpointId());
    assertEquals("e2", l2.endpointId());
    assertEquals(1, l1.ticketId());
    assertEquals("http://e1", l1.endpointUrl());
    assertEquals(0, l1.queuedMs());
    assertEquals(1, queued(s.admit(ticket(3, "m", 0), 0)).depth());
    assertEquals(2, queued(s.admit(ticket(4, "m", 0), 0)).depth());
    Admission.Refused r = refused(s.admit(ticket(5, "m", 0), 0));
    assertEquals(ErrorCode.QUEUE_FULL, r.code());
    assertTrue(r.retryAfterMs() >= 1000, "retryAfterMs " + r.retryAfterMs());
    assertEquals(2, s.queueDepth());
    assertEquals(2, s.queueDepth("m"));
    assertEquals(2, s.leasesHeld());
  }

  @Test
  void retryAfterFollowsTheObservedSpeedInWholeSeconds() {
    Scheduler s = scheduler(1, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    teach(s, "e1", 1500, 0);
    started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    Admission.Refused r = refused(s.admit(ticket(3, "m", 0), 0));
    assertEquals(ErrorCode.QUEUE_FULL, r.code());
    // two ahead of it (the queued one and itself) at 1500 ms on one slot: 3000 ms
    assertEquals(3000, r.retryAfterMs());
  }

  @Test
  void zeroQueueCapacityRefusesAsSoonAsTheSlotsAreFull() {
    Scheduler s = scheduler(0, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    started(s.admit(ticket(1, "m", 0), 0));
    assertEquals(ErrorCode.QUEUE_FULL, refused(s.admit(ticket(2, "m", 0), 0)).code());
  }

  @Test
  void anExpiredTicketIsRefused() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Admission.Refused r = refused(s.admit(new Ticket(1, "m", 0, 100), 100));
    assertEquals(ErrorCode.QUEUE_TIMEOUT, r.code());
    assertEquals(0, s.leasesHeld());
    assertEquals(0, s.queueDepth());
  }

  @Test
  void expireDueRemovesExactlyTheTicketsWhoseDeadlinePassed() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    started(s.admit(new Ticket(1, "m", 0, 1000), 0));
    queued(s.admit(new Ticket(2, "m", 0, 300), 0));
    queued(s.admit(new Ticket(3, "m", 0, 200), 0));
    queued(s.admit(new Ticket(4, "m", 0, 900), 0));
    assertEquals(List.of(), s.expireDue(199));
    assertEquals(List.of(3L), s.expireDue(200).stream().map(Ticket::id).toList());
    assertEquals(List.of(2L), s.expireDue(500).stream().map(Ticket::id).toList());
    assertEquals(1, s.queueDepth());
    assertEquals(Optional.empty(), s.expire(2, "m"), "already gone");
    assertEquals(4L, s.expire(4, "m").orElseThrow().id());
    assertEquals(0, s.queueDepth());
    assertEquals(0, s.queueDepth("m"));
  }

  @Test
  void releaseStartsTheHeadOfTheQueue() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 10), 10));
    queued(s.admit(ticket(3, "m", 20), 20));
    List<Dispatch> ds = s.release(l1.id(), 100, true, 100);
    assertEquals(1, ds.size());
    Dispatch d = ds.get(0);
    assertEquals(2, d.ticket().id());
    assertEquals(2, d.lease().ticketId());
    assertEquals("e1", d.lease().endpointId());
    assertEquals(90, d.lease().queuedMs());
    assertEquals(100, d.lease().startedAtMs());
    assertEquals(1, s.queueDepth());
    assertEquals(1, s.leasesHeld());
    assertEquals(100.0, s.endpoint("e1").orElseThrow().latency().averageMs(100));
  }

  @Test
  void releasingTwiceIsHarmless() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    queued(s.admit(ticket(3, "m", 0), 0));
    assertEquals(List.of(2L), s.release(l1.id(), 10, true, 10).stream().map(x -> x.ticket().id()).toList());
    assertEquals(List.of(), s.release(l1.id(), 10, true, 11));
    assertEquals(List.of(), s.release(9999, 10, true, 11));
    assertEquals(1, s.endpoint("e1").orElseThrow().inFlight());
    assertEquals(1, s.endpoint("e1").orElseThrow().served());
    assertEquals(1, s.queueDepth());
    assertEquals(1, s.leasesHeld());
  }

  @Test
  void removingTheLastEndpointOfAModelReturnsItsWaitingTickets() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m", "n"), true, 0);
    s.upsertEndpoint(spec("e2", 1, "n"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    queued(s.admit(ticket(3, "m", 0), 0));
    List<Ticket> orphans = s.removeEndpoint("e1");
    assertEquals(List.of(2L, 3L), orphans.stream().map(Ticket::id).toList());
    assertEquals(0, s.queueDepth());
    assertFalse(s.knowsModel("m"));
    assertTrue(s.knowsModel("n"));
    assertEquals(1, s.leasesHeld(), "its lease stays valid until released");
    assertEquals(List.of(), s.release(l1.id(), 10, true, 10));
    assertEquals(0, s.leasesHeld());
    assertEquals(ErrorCode.MODEL_NOT_FOUND, refused(s.admit(ticket(4, "m", 20), 20)).code());
    assertEquals(List.of(), s.removeEndpoint("e1"), "removing twice");
  }

  @Test
  void removingOneOfSeveralEndpointsKeepsTheQueue() {
    Scheduler s = scheduler(10, "round-robin");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 1, "m"), true, 0);
    started(s.admit(ticket(1, "m", 0), 0));
    started(s.admit(ticket(2, "m", 0), 0));
    queued(s.admit(ticket(3, "m", 0), 0));
    assertEquals(List.of(), s.removeEndpoint("e1"));
    assertEquals(1, s.queueDepth());
  }

  /**
   * A ticket waits for a busy fast endpoint; that endpoint is removed. When its lease is
   * released the ticket must move to the idle endpoint that is left instead of waiting for its
   * deadline with nothing left to wake it.
   */
  @Test
  void aLeaseReleasedAfterItsEndpointWasRemovedStillMovesTheQueue() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("fast", 1, "m"), true, 0);
    s.upsertEndpoint(spec("slow", 1, "m"), true, 0);
    teach(s, "fast", 10, 0);
    teach(s, "slow", 200, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    assertEquals("fast", l1.endpointId());
    queued(s.admit(ticket(2, "m", 0), 0)); // fast busy: 10 + 10 < 200
    assertEquals(List.of(), s.removeEndpoint("fast"));
    List<Dispatch> ds = s.release(l1.id(), 10, true, 10);
    assertEquals(1, ds.size());
    assertEquals(2, ds.get(0).ticket().id());
    assertEquals("slow", ds.get(0).lease().endpointId());
    assertEquals(0, s.queueDepth());
  }

  /** As above, but the lease on the removed endpoint belongs to another model it served. */
  @Test
  void aLeaseOfAnotherModelReleasedAfterItsEndpointWasRemovedStillMovesTheQueue() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("fast", 1, "m", "n"), true, 0);
    s.upsertEndpoint(spec("slow", 1, "m"), true, 0);
    teach(s, "fast", 10, 0);
    teach(s, "slow", 200, 0);
    Lease ln = started(s.admit(ticket(1, "n", 0), 0));
    assertEquals("fast", ln.endpointId());
    queued(s.admit(ticket(2, "m", 0), 0)); // waits for fast: 10 + 10 < 200
    assertEquals(List.of(), s.removeEndpoint("fast")); // m still has slow; n's queue is empty
    List<Dispatch> ds = s.release(ln.id(), 10, true, 10);
    assertEquals(List.of(2L), ds.stream().map(d -> d.ticket().id()).toList());
    assertEquals("slow", ds.get(0).lease().endpointId());
    assertEquals(0, s.queueDepth());
    assertEquals(1, s.leasesHeld());
  }

  @Test
  void aBusyFastEndpointIsWaitedForWhileASlowOneIdles() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("fast", 1, "m"), true, 0);
    s.upsertEndpoint(spec("slow", 1, "m"), true, 0);
    teach(s, "fast", 10, 0);
    teach(s, "slow", 200, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    assertEquals(0, s.endpoint("slow").orElseThrow().inFlight());
    List<Dispatch> ds = s.release(l1.id(), 10, true, 10);
    assertEquals("fast", ds.get(0).lease().endpointId());
    assertEquals(List.of("fast", "slow"),
        ds.get(0).lease().decision().candidates().stream().map(c -> c.endpointId()).toList());
  }

  @Test
  void setUpTruePumpsTheQueue() {
    Scheduler s = scheduler(10, "round-robin");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 2, "m"), false, 0);
    started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    queued(s.admit(ticket(3, "m", 0), 0));
    queued(s.admit(ticket(4, "m", 0), 0));
    assertEquals(List.of(), s.setUp("e2", false, 5), "no change");
    List<Dispatch> ds = s.setUp("e2", true, 5);
    assertEquals(List.of(2L, 3L), ds.stream().map(d -> d.ticket().id()).toList());
    assertEquals(List.of("e2", "e2"), ds.stream().map(d -> d.lease().endpointId()).toList());
    assertEquals(1, s.queueDepth());
    assertEquals(List.of(), s.setUp("e2", true, 6), "already up");
    assertEquals(List.of(), s.setUp("nope", true, 6));
  }

  @Test
  void aDownEndpointGetsNoNewWorkButItsLeasesStay() {
    Scheduler s = scheduler(10, "round-robin");
    s.upsertEndpoint(spec("e1", 2, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 2, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    assertEquals("e1", l1.endpointId());
    s.setUp("e1", false, 1);
    assertEquals("e2", started(s.admit(ticket(2, "m", 1), 1)).endpointId());
    assertEquals("e2", started(s.admit(ticket(3, "m", 1), 1)).endpointId());
    queued(s.admit(ticket(4, "m", 1), 1));
    assertEquals(List.of(), s.release(l1.id(), 10, true, 10), "e1 is down: its freed slot is not used");
    assertEquals(0, s.endpoint("e1").orElseThrow().inFlight());
  }

  @Test
  void upsertKeepsLatencyAndInFlight() {
    Scheduler s = scheduler(10, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    queued(s.admit(ticket(3, "m", 0), 0));
    queued(s.admit(ticket(4, "m", 0), 0));
    s.release(l1.id(), 250, true, 250); // ticket 2 starts
    EndpointState before = s.endpoint("e1").orElseThrow();
    List<Dispatch> ds = s.upsertEndpoint(new EndpointSpec("e1", "http://e1-new", List.of("m"), 3), true, 300);
    EndpointState after = s.endpoint("e1").orElseThrow();
    assertTrue(before == after, "the same state object");
    assertEquals(250.0, after.latency().averageMs(300));
    assertEquals(List.of(3L, 4L), ds.stream().map(d -> d.ticket().id()).toList());
    assertEquals("http://e1-new", ds.get(0).lease().endpointUrl());
    assertEquals(3, after.inFlight());
    assertEquals(1, after.served());
    assertEquals(0, s.queueDepth());
  }

  @Test
  void queuesAreFifoPerModelAndShareOneBound() {
    Scheduler s = scheduler(3, "p2c-latency");
    s.upsertEndpoint(spec("e1", 1, "a", "b"), true, 0);
    Lease l1 = started(s.admit(ticket(1, "a", 0), 0));
    queued(s.admit(ticket(2, "b", 1), 1));
    queued(s.admit(ticket(3, "a", 2), 2));
    queued(s.admit(ticket(4, "b", 3), 3));
    assertEquals(ErrorCode.QUEUE_FULL, refused(s.admit(ticket(5, "a", 4), 4)).code());
    assertEquals(1, s.queueDepth("a"));
    assertEquals(2, s.queueDepth("b"));
    // the oldest head over both models goes first
    List<Dispatch> d1 = s.release(l1.id(), 5, true, 10);
    assertEquals(List.of(2L), d1.stream().map(d -> d.ticket().id()).toList());
    List<Dispatch> d2 = s.release(d1.get(0).lease().id(), 5, true, 20);
    assertEquals(List.of(3L), d2.stream().map(d -> d.ticket().id()).toList());
    List<Dispatch> d3 = s.release(d2.get(0).lease().id(), 5, true, 30);
    assertEquals(List.of(4L), d3.stream().map(d -> d.ticket().id()).toList());
  }

  @Test
  void aNewTicketDoesNotOvertakeWaitingOnes() {
    Scheduler s = scheduler(10, "round-robin");
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 1, "m"), false, 0);
    started(s.admit(ticket(1, "m", 0), 0));
    queued(s.admit(ticket(2, "m", 0), 0));
    s.setUp("e2", true, 0); // ticket 2 starts on e2
    queued(s.admit(ticket(3, "m", 1), 1));
    s.setUp("e2", false, 1);
    // e2 is down and busy; e1 busy: ticket 4 queues behind 3 even though nothing is free to compare
    assertEquals(2, queued(s.admit(ticket(4, "m", 2), 2)).depth());
  }
}
