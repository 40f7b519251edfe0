package io.tensorforge.domain.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.RoutingStrategies;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Priority classes, bounds, shedding, early refusal and fair share between tenants, seen
 * through the scheduler's public API only.
 */
class SchedulerPriorityTest {

  private static final Priority CRIT = Priority.CRITICAL;
  private static final Priority STD = Priority.STANDARD;
  private static final Priority SHED = Priority.SHEDDABLE;

  private static Scheduler scheduler(int queueCapacity, int perTenant, Map<String, Double> weights) {
    return new Scheduler(new SchedulerSettings(queueCapacity, perTenant, 1000, 0, 1000, weights),
        m -> RoutingStrategies.create("p2c-latency"), new SplittableRandom(1));
  }

  private static Scheduler scheduler(int queueCapacity) {
    return scheduler(queueCapacity, queueCapacity, Map.of());
  }

  private static EndpointSpec spec(String id, int maxConcurrent, String... models) {
    return new EndpointSpec(id, "http://" + id, List.of(models), maxConcurrent);
  }

  private static Ticket ticket(long id, String tenant, Priority p, long now, long deadlineIn, long cost) {
    return new Ticket(id, "m", tenant, p, now, now + deadlineIn, cost);
  }

  private static Ticket ticket(long id, Priority p, long now) {
    return ticket(id, "t", p, now, 60_000, 1);
  }

  private static Lease started(Admission a) {
    return assertInstanceOf(Admission.Started.class, a, () -> "expected Started: " + a).lease();
  }

  private static Admission.Queued queued(Admission a) {
    return assertInstanceOf(Admission.Queued.class, a, () -> "expected Queued: " + a);
  }

  private static Admission.Refused refused(Admission a, ErrorCode code) {
    Admission.Refused r = assertInstanceOf(Admission.Refused.class, a, () -> "expected Refused: " + a);
    assertEquals(code, r.code(), r.message());
    return r;
  }

  private static List<Long> shedIds(Admission a) {
    return queued(a).shed().stream().map(Ticket::id).toList();
  }

  private static Dispatch only(List<Dispatch> ds) {
    assertEquals(1, ds.size(), () -> "one dispatch expected: " + ds);
    return ds.get(0);
  }

  /** Teaches e1 a latency through the API: one request alone on it, released after latencyMs. */
  private static long teach(Scheduler s, long id, double latencyMs, long now) {
    Lease l = started(s.admit(ticket(id, STD, now), now));
    long done = now + (long) latencyMs;
    assertEquals(List.of(), s.release(l.id(), latencyMs, true, done));
    return done;
  }

  // ---------------------------------------------------------------- classes

  @Test
  void aHigherClassIsServedFirstWhateverTheArrivalOrder() {
    Scheduler s = scheduler(10);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease busy = started(s.admit(ticket(1, STD, 0), 0));
    queued(s.admit(ticket(2, SHED, 1), 1));
    queued(s.admit(ticket(3, STD, 2), 2));
    queued(s.admit(ticket(4, CRIT, 3), 3));
    assertEquals(1, s.queueDepth("m", CRIT));
    assertEquals(1, s.queueDepth("m", STD));
    assertEquals(1, s.queueDepth("m", SHED));

    Dispatch d1 = only(s.release(busy.id(), 10, true, 10));
    assertEquals(4, d1.ticket().id());
    assertEquals(CRIT, d1.ticket().priority());
    assertEquals(7, d1.lease().queuedMs());
    assertEquals(0, s.queueDepth("m", CRIT));
    Dispatch d2 = only(s.release(d1.lease().id(), 10, true, 20));
    assertEquals(3, d2.ticket().id());
    Dispatch d3 = only(s.release(d2.lease().id(), 10, true, 30));
    assertEquals(2, d3.ticket().id());
    assertEquals(List.of(), s.release(d3.lease().id(), 10, true, 40));
    assertEquals(0, s.queueDepth());
    assertEquals(0, s.leasesHeld());
  }

  // ---------------------------------------------------------------- shedding

  @Test
  void aFullQueueShedsTheNewestOfTheLowestClassAndNeverAnEqualOrHigherOne() {
    Scheduler s = scheduler(3);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease busy = started(s.admit(ticket(1, STD, 0), 0));
    queued(s.admit(ticket(10, SHED, 1), 1)); // A
    queued(s.admit(ticket(11, STD, 2), 2));  // B
    queued(s.admit(ticket(12, SHED, 3), 3)); // C
    assertEquals(3, s.queueDepth());

    Admission a1 = s.admit(ticket(20, STD, 4), 4);
    assertEquals(List.of(12L), shedIds(a1), "the newest sheddable goes first");
    assertEquals(3, queued(a1).depth());
    Admission a2 = s.admit(ticket(21, STD, 5), 5);
    assertEquals(List.of(10L), shedIds(a2), "then the older sheddable");
    assertEquals(0, s.queueDepth("m", SHED));
    refused(s.admit(ticket(22, STD, 6), 6), ErrorCode.QUEUE_FULL); // an equal class is never shed
    refused(s.admit(ticket(23, SHED, 6), 6), ErrorCode.QUEUE_FULL);
    assertEquals(3, s.queueDepth("m", STD));

    assertEquals(List.of(21L), shedIds(s.admit(ticket(30, CRIT, 7), 7)), "critical sheds the newest standard");
    assertEquals(List.of(20L), shedIds(s.admit(ticket(31, CRIT, 8), 8)));
    assertEquals(List.of(11L), shedIds(s.admit(ticket(32, CRIT, 9), 9)));
    assertEquals(3, s.queueDepth("m", CRIT));
    assertEquals(0, s.queueDepth("m", STD));
    Admission.Refused full = refused(s.admit(ticket(33, CRIT, 10), 10), ErrorCode.QUEUE_FULL);
    assertTrue(full.retryAfterMs() >= 1000, "retryAfterMs " + full.retryAfterMs());
    assertEquals(3, s.queueDepth());
    assertEquals(3, s.queueDepthOfTenant("t"));

    // the critical ones that stayed are served in arrival order
    Dispatch d1 = only(s.release(busy.id(), 10, true, 20));
    Dispatch d2 = only(s.release(d1.lease().id(), 10, true, 30));
    Dispatch d3 = only(s.release(d2.lease().id(), 10, true, 40));
    assertEquals(List.of(30L, 31L, 32L), List.of(d1.ticket().id(), d2.ticket().id(), d3.ticket().id()));
    assertEquals(0, s.queueDepth());
  }

  @Test
  void sheddingReachesTheQueueOfAnotherModel() {
    Scheduler s = scheduler(2);
    s.upsertEndpoint(spec("e1", 1, "m", "n"), true, 0);
    started(s.admit(ticket(1, STD, 0), 0));
    queued(s.admit(new Ticket(2, "n", "t", SHED, 1, 60_000, 1), 1));
    queued(s.admit(ticket(3, STD, 2), 2));
    assertEquals(List.of(2L), shedIds(s.admit(ticket(4, STD, 3), 3)));
    assertEquals(0, s.queueDepth("n"));
    assertEquals(2, s.queueDepth("m"));
  }

  // ---------------------------------------------------------------- bounds

  @Test
  void aTenantOverItsOwnBoundIsRefusedWhileOthersAreStillAdmitted() {
    Scheduler s = scheduler(10, 2, Map.of());
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    started(s.admit(ticket(1, "a", STD, 0, 60_000, 1), 0));
    queued(s.admit(ticket(2, "a", STD, 1, 60_000, 1), 1));
    queued(s.admit(ticket(3, "a", CRIT, 2, 60_000, 1), 2));
    assertEquals(2, s.queueDepthOfTenant("a"));
    Admission.Refused r = refused(s.admit(ticket(4, "a", STD, 3, 60_000, 1), 3), ErrorCode.TENANT_QUEUE_FULL);
    assertTrue(r.retryAfterMs() >= 1000, "retryAfterMs " + r.retryAfterMs());
    refused(s.admit(ticket(5, "a", CRIT, 3, 60_000, 1), 3), ErrorCode.TENANT_QUEUE_FULL);
    assertEquals(2, s.queueDepthOfTenant("a"));

    queued(s.admit(ticket(6, "b", STD, 4, 60_000, 1), 4));
    queued(s.admit(ticket(7, "b", SHED, 4, 60_000, 1), 4));
    assertEquals(2, s.queueDepthOfTenant("b"));
    assertEquals(0, s.queueDepthOfTenant("c"));
    assertEquals(4, s.queueDepth());
  }

  @Test
  void aPerTenantBoundNotBelowTheTotalIsNotEnforced() {
    Scheduler s = scheduler(3, 3, Map.of());
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    started(s.admit(ticket(1, "a", STD, 0, 60_000, 1), 0));
    for (long id = 2; id <= 4; id++) {
      queued(s.admit(ticket(id, "a", STD, id, 60_000, 1), id));
    }
    refused(s.admit(ticket(5, "a", STD, 5, 60_000, 1), 5), ErrorCode.QUEUE_FULL);
  }

  // ---------------------------------------------------------------- early refusal

  @Test
  void aDeadlineTheQueueCannotMeetIsRefusedAtOnce() {
    Scheduler s = scheduler(20);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    long now = teach(s, 1, 1000, 0);
    assertEquals(1000.0, s.endpoint("e1").orElseThrow().latency().averageMs(now));
    started(s.admit(ticket(2, STD, now), now));
    for (long id = 3; id <= 5; id++) {
      queued(s.admit(ticket(id, STD, now), now));
    }
    assertEquals(3000, s.estimatedWaitMs("m", STD, now));
    assertEquals(3000, s.estimatedWaitMs("m", SHED, now));
    assertEquals(0, s.estimatedWaitMs("m", CRIT, now));

    Admission.Refused r = refused(s.admit(ticket(6, "t", STD, now, 2000, 1), now), ErrorCode.DEADLINE_UNREACHABLE);
    assertTrue(r.retryAfterMs() >= 3000, "retryAfterMs " + r.retryAfterMs());
    refused(s.admit(ticket(7, "t", SHED, now, 2000, 1), now), ErrorCode.DEADLINE_UNREACHABLE);
    assertEquals(3, s.queueDepth());

    assertEquals(4, queued(s.admit(ticket(8, "t", STD, now, 10_000, 1), now)).depth());
    // a critical request waits only behind critical ones
    assertEquals(5, queued(s.admit(ticket(9, "t", CRIT, now, 2000, 1), now)).depth());
    assertEquals(1000, s.estimatedWaitMs("m", CRIT, now));
    queued(s.admit(ticket(10, "t", CRIT, now, 2000, 1), now)); // 1000 ms ahead, 2000 left
    refused(s.admit(ticket(11, "t", CRIT, now, 1999, 1), now), ErrorCode.DEADLINE_UNREACHABLE); // 2000 ahead
    assertEquals(6, s.queueDepth());
  }

  @Test
  void noEstimateNoEarlyRefusal() {
    Scheduler s = scheduler(20);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    started(s.admit(ticket(1, STD, 0), 0));
    for (long id = 2; id <= 5; id++) {
      queued(s.admit(ticket(id, STD, 0), 0));
    }
    assertEquals(0, s.estimatedWaitMs("m", STD, 0), "the endpoint's speed is unknown");
    queued(s.admit(ticket(6, "t", STD, 0, 1, 1), 0));
  }

  // ---------------------------------------------------------------- abandon and failures

  @Test
  void abandonFreesTheSlotAndTeachesNothing() {
    Scheduler s = scheduler(10);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    long now = teach(s, 1, 200, 0);
    Lease l = started(s.admit(ticket(2, STD, now), now));
    queued(s.admit(ticket(3, STD, now), now));
    EndpointState e = s.endpoint("e1").orElseThrow();
    Dispatch d = only(s.abandon(l.id(), now + 5_000));
    assertEquals(3, d.ticket().id());
    assertEquals(200.0, e.latency().averageMs(now + 5_000), "an abandoned request is no observation");
    assertEquals(1, e.served());
    assertEquals(0, e.failed());
    assertEquals(1, e.inFlight());
    assertEquals(List.of(), s.abandon(l.id(), now + 5_000), "twice is harmless");
    assertEquals(List.of(), s.release(l.id(), 10, true, now + 5_000), "and so is a release after it");
    assertEquals(1, e.inFlight());
    assertEquals(1, s.leasesHeld());
  }

  @Test
  void aFailureCountsAtLeastThePenalty() {
    Scheduler s = new Scheduler(new SchedulerSettings(10, 10, 1000, 0, 5000, Map.of()),
        m -> RoutingStrategies.create("least-outstanding"), new SplittableRandom(1));
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    s.upsertEndpoint(spec("e2", 1, "m"), true, 0);
    Lease l1 = started(s.admit(ticket(1, STD, 0), 0));
    Lease l2 = started(s.admit(ticket(2, STD, 0), 0));
    Map<String, Lease> byEndpoint = Map.of(l1.endpointId(), l1, l2.endpointId(), l2);
    s.release(byEndpoint.get("e1").id(), 10, false, 10);
    s.release(byEndpoint.get("e2").id(), 8000, false, 10);
    EndpointState e1 = s.endpoint("e1").orElseThrow();
    EndpointState e2 = s.endpoint("e2").orElseThrow();
    assertEquals(5000.0, e1.latency().averageMs(10), "a fast failure counts as the penalty");
    assertEquals(8000.0, e2.latency().averageMs(10), "a slow failure counts as itself");
    assertEquals(1, e1.failed());
    assertEquals(0, e1.served());
  }

  // ---------------------------------------------------------------- fair share

  /**
   * One model, one endpoint of one slot, every tenant kept backlogged with {@code backlog}
   * requests; each dispatched lease is released at once with {@code served(tenant)} tokens.
   * Returns the real tokens served per tenant over {@code releases} releases.
   */
  private static Map<String, Long> backlogged(Map<String, Double> weights, Map<String, Long> estimate,
                                              Map<String, Long> served, int releases) {
    Scheduler s = scheduler(1000, 1000, weights);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    List<String> tenants = estimate.keySet().stream().sorted().toList();
    long[] nextId = {1};
    long now = 0;
    Deque<Lease> running = new ArrayDeque<>();
    Map<Long, String> tenantOfTicket = new HashMap<>();
    int backlog = 3;
    for (String t : tenants) {
      while (s.queueDepthOfTenant(t) < backlog) {
        Ticket tk = ticket(nextId[0]++, t, STD, now, Long.MAX_VALUE / 4, estimate.get(t));
        tenantOfTicket.put(tk.id(), t);
        Admission a = s.admit(tk, now);
        if (a instanceof Admission.Started st) {
          running.add(st.lease());
        } else {
          queued(a);
        }
      }
    }
    Map<String, Long> real = new HashMap<>();
    for (int i = 0; i < releases; i++) {
      Lease l = running.poll();
      String t = tenantOfTicket.get(l.ticketId());
      real.merge(t, served.get(t), Long::sum);
      now += 10;
      Dispatch d = only(s.release(l.id(), 10, true, served.get(t), now));
      running.add(d.lease());
      // keep the dispatched tenant backlogged
      String dt = tenantOfTicket.get(d.ticket().id());
      Ticket tk = ticket(nextId[0]++, dt, STD, now, Long.MAX_VALUE / 4, estimate.get(dt));
      tenantOfTicket.put(tk.id(), dt);
      queued(s.admit(tk, now));
      for (String x : tenants) {
        assertEquals(backlog, s.queueDepthOfTenant(x), "tenant " + x + " stays backlogged");
      }
    }
    return real;
  }

  private static void assertWithin5Percent(double expected, double actual, String what) {
    assertTrue(Math.abs(actual - expected) <= 0.05 * expected, what + ": expected " + expected + " ± 5 %, was " + actual);
  }

  @Test
  void equalWeightsShareTokensNotRequests() {
    Map<String, Long> cost = Map.of("a", 1000L, "b", 100L);
    Map<String, Long> real = backlogged(Map.of(), cost, cost, 2200);
    long a = real.get("a");
    long b = real.get("b");
    assertWithin5Percent(a, b, "tokens of b against a (" + real + ")");
    // b was served about ten times as many requests
    assertWithin5Percent(10.0 * (a / 1000), b / 100, "requests of b against 10 × a");
  }

  @Test
  void weightsOneAndThreeShareTokensOneToThree() {
    Map<String, Long> cost = Map.of("a", 300L, "b", 700L);
    Map<String, Long> real = backlogged(Map.of("a", 1.0, "b", 3.0), cost, cost, 2000);
    assertWithin5Percent(3.0 * real.get("a"), real.get("b"), "tokens of b against 3 × a (" + real + ")");
  }

  @Test
  void aTenantIsChargedWhatItReallyUsedNotItsEstimate() {
    Map<String, Long> real = backlogged(Map.of(), Map.of("a", 1000L, "b", 100L), Map.of("a", 100L, "b", 100L), 2000);
    assertWithin5Percent(real.get("a"), real.get("b"), "real tokens of b against a (" + real + ")");
  }

  /**
   * The same queue, served twice: once with usage reported (a's estimates of 1000 turn out to
   * be 100), once without ({@code servedTokens} −1: the estimate stands). Reported usage makes
   * a and b alternate; estimates alone give b ten requests for each of a's.
   */
  @Test
  void reportedUsageReplacesTheEstimateInTheOrderOfService() {
    assertEquals(List.of(2L, 4L, 3L, 5L, 6L), serveOrder(100));
    assertEquals(List.of(2L, 4L, 5L, 6L, 7L), serveOrder(-1));
  }

  private static List<Long> serveOrder(long servedByA) {
    Scheduler s = scheduler(20);
    s.upsertEndpoint(spec("e1", 1, "m"), true, 0);
    Lease busy = started(s.admit(ticket(1, "z", STD, 0, 60_000, 1), 0));
    queued(s.admit(ticket(2, "a", STD, 1, 60_000, 1000), 1));
    queued(s.admit(ticket(3, "a", STD, 1, 60_000, 1000), 1));
    for (long id = 4; id <= 10; id++) {
      queued(s.admit(ticket(id, "b", STD, 1, 60_000, 100), 1));
    }
    List<Long> order = new ArrayList<>();
    Dispatch d = only(s.release(busy.id(), 10, true, 1, 10));
    for (int i = 0; i < 5; i++) {
      order.add(d.ticket().id());
      long served = d.ticket().tenant().equals("a") ? servedByA : 100;
      if (i < 4) {
        d = only(s.release(d.lease().id(), 10, true, served, 20 + 10L * i));
      }
    }
    return order;
  }
}
