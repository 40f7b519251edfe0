package io.tensorforge.domain.intake.queue;

import static io.tensorforge.domain.intake.queue.Priority.CRITICAL;
import static io.tensorforge.domain.intake.queue.Priority.SHEDDABLE;
import static io.tensorforge.domain.intake.queue.Priority.STANDARD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TenantFairQueueTest {

  private static final long NEVER = Long.MAX_VALUE;

  private long nextId = 1;

  private TenantFairQueue queue() {
    return new TenantFairQueue(Map.of(), 1.0);
  }

  private QueuedRequest req(String tenant, Priority p, long cost) {
    return req(tenant, p, cost, 0, NEVER);
  }

  private QueuedRequest req(String tenant, Priority p, long cost, long arrivedAtMs, long deadlineAtMs) {
    return new QueuedRequest(nextId++, tenant, p, arrivedAtMs, deadlineAtMs, cost);
  }

  private static List<String> drainTenants(TenantFairQueue q) {
    List<String> out = new ArrayList<>();
    for (Optional<QueuedRequest> r = q.poll(); r.isPresent(); r = q.poll()) {
      out.add(r.get().tenant());
    }
    return out;
  }

  @Test
  void higherClassIsServedFirstWhateverTheArrivalOrder() {
    TenantFairQueue q = queue();
    QueuedRequest s = req("a", SHEDDABLE, 1);
    QueuedRequest std = req("a", STANDARD, 1);
    QueuedRequest c = req("z", CRITICAL, 5000);
    q.add(s);
    q.add(std);
    q.add(c);
    assertEquals(Optional.of(c), q.peek());
    assertEquals(Optional.of(c), q.poll());
    assertEquals(Optional.of(std), q.poll());
    assertEquals(Optional.of(s), q.poll());
    assertEquals(Optional.empty(), q.poll());
    assertEquals(Optional.empty(), q.peek());
  }

  @Test
  void sharesTokensNotRequests() {
    TenantFairQueue q = queue();
    q.add(req("big", STANDARD, 1000));
    q.add(req("big", STANDARD, 1000));
    for (int i = 0; i < 20; i++) {
      q.add(req("small", STANDARD, 100));
    }
    // counters tie at 0: "big" sorts first; then "small" catches up 1000 tokens before "big" again
    List<String> order = drainTenants(q);
    assertEquals("big", order.get(0));
    assertEquals(List.of("small", "small", "small", "small", "small", "small", "small", "small", "small", "small"),
        order.subList(1, 11));
    assertEquals("big", order.get(11));
  }

  @Test
  void withinATenantAndClassTheOldestGoesFirst() {
    TenantFairQueue q = queue();
    QueuedRequest late = req("a", STANDARD, 1, 50, NEVER);
    QueuedRequest early = req("a", STANDARD, 1, 10, NEVER);
    QueuedRequest sameTimeFirstAdded = req("a", STANDARD, 1, 50, NEVER);
    q.add(late);
    q.add(early);
    q.add(sameTimeFirstAdded);
    assertEquals(early, q.poll().orElseThrow());
    assertEquals(late, q.poll().orElseThrow());
    assertEquals(sameTimeFirstAdded, q.poll().orElseThrow());
  }

  @Test
  void aReturningTenantIsLiftedToTheLowestWaitingCounter() {
    TenantFairQueue q = queue();
    for (int i = 0; i < 10; i++) {
      q.add(req("a", STANDARD, 100));
    }
    for (int i = 0; i < 5; i++) {
      q.poll();
    }
    assertEquals(500, q.counter("a", STANDARD));
    q.add(req("b", STANDARD, 100));
    assertEquals(500, q.counter("b", STANDARD), "idle time banks no credit");
    // tie at 500 goes to "a" by name, then b, then a ...
    assertEquals(List.of("a", "b", "a", "a", "a", "a"), drainTenants(q));
  }

  @Test
  void anArrivalIntoAnEmptyClassIsLiftedToTheLastLeaver() {
    TenantFairQueue q = queue();
    q.add(req("a", STANDARD, 700));
    q.poll();
    assertEquals(700, q.counter("a", STANDARD));
    q.add(req("b", STANDARD, 10));
    assertEquals(700, q.counter("b", STANDARD));
    // the lift never lowers a counter
    q.add(req("a", STANDARD, 10));
    assertEquals(700, q.counter("a", STANDARD));
  }

  @Test
  void countersAreKeptPerClass() {
    TenantFairQueue q = queue();
    q.add(req("a", CRITICAL, 900));
    q.poll();
    assertEquals(900, q.counter("a", CRITICAL));
    assertEquals(0, q.counter("a", STANDARD));
  }

  @Test
  void weightsDivideTheCharge() {
    TenantFairQueue q = new TenantFairQueue(Map.of("heavy", 2.0), 1.0);
    for (int i = 0; i < 6; i++) {
      q.add(req("heavy", STANDARD, 100));
      q.add(req("light", STANDARD, 100));
    }
    List<String> first6 = drainTenants(q).subList(0, 6);
    assertEquals(4, first6.stream().filter("heavy"::equals).count());
    assertEquals(2.0, q.weight("heavy"));
    assertEquals(1.0, q.weight("light"));
  }

  @Test
  void setWeightAppliesToLaterCharges() {
    TenantFairQueue q = queue();
    q.add(req("a", STANDARD, 100));
    q.poll();
    q.setWeight("a", 4.0);
    q.add(req("a", STANDARD, 100));
    q.poll();
    assertEquals(125, q.counter("a", STANDARD));
  }

  @Test
  void correctionMovesTheCounterAndReordersWaitingTenants() {
    TenantFairQueue q = new TenantFairQueue(Map.of("b", 2.0), 1.0);
    q.add(req("a", STANDARD, 1000));
    q.add(req("a", STANDARD, 1000));
    q.add(req("b", STANDARD, 1000));
    q.add(req("b", STANDARD, 1000));
    assertEquals("a", q.poll().orElseThrow().tenant()); // a=1000, b=0
    assertEquals("b", q.poll().orElseThrow().tenant()); // b=500
    q.correct("b", STANDARD, 2000); // b used more than estimated: +1000 at weight 2
    assertEquals(1500, q.counter("b", STANDARD));
    q.correct("a", STANDARD, -800); // a used less: a=200
    assertEquals(200, q.counter("a", STANDARD));
    assertEquals("a", q.peek().orElseThrow().tenant());
    q.correct("a", STANDARD, 5000);
    assertEquals("b", q.peek().orElseThrow().tenant());
  }

  @Test
  void aNegativeCorrectionOfAnIdleTenantBanksNoCredit() {
    TenantFairQueue q = queue();
    q.add(req("a", STANDARD, 100));
    q.add(req("b", STANDARD, 100));
    q.add(req("b", STANDARD, 100));
    q.poll(); // a=100, idle
    q.correct("a", STANDARD, -10_000);
    assertEquals(-9900, q.counter("a", STANDARD));
    q.add(req("a", STANDARD, 100));
    assertEquals(0, q.counter("a", STANDARD), "lifted to b, the lowest waiting counter");
  }

  @Test
  void removeTakesOutAnyWaitingRequestWithoutCharging() {
    TenantFairQueue q = queue();
    QueuedRequest a1 = req("a", STANDARD, 100);
    QueuedRequest a2 = req("a", STANDARD, 100);
    QueuedRequest b1 = req("b", SHEDDABLE, 100);
    q.add(a1);
    q.add(a2);
    q.add(b1);
    assertTrue(q.remove(a1.id()));
    assertFalse(q.remove(a1.id()));
    assertFalse(q.remove(999));
    assertEquals(0, q.counter("a", STANDARD));
    assertEquals(2, q.size());
    assertEquals(1, q.size("a"));
    assertEquals(Optional.of(a2), q.poll());
    assertEquals(Optional.of(b1), q.poll());
    assertEquals(0, q.size("a"));
  }

  @Test
  void expireDueRemovesExactlyThoseAtOrPastTheirDeadline() {
    TenantFairQueue q = queue();
    QueuedRequest d100 = req("a", STANDARD, 1, 0, 100);
    QueuedRequest d50 = req("b", CRITICAL, 1, 0, 50);
    QueuedRequest d101 = req("a", STANDARD, 1, 0, 101);
    QueuedRequest never = req("c", SHEDDABLE, 1, 0, NEVER);
    q.add(d100);
    q.add(d50);
    q.add(d101);
    q.add(never);
    assertEquals(List.of(), q.expireDue(49));
    assertEquals(List.of(d50, d100), q.expireDue(100));
    assertEquals(List.of(), q.expireDue(100));
    assertEquals(2, q.size());
    assertEquals(List.of(d101), q.expireDue(1_000_000));
    assertEquals(Optional.of(never), q.poll());
  }

  @Test
  void sizesAndQueuedCostByClass() {
    TenantFairQueue q = queue();
    q.add(req("a", CRITICAL, 10));
    q.add(req("a", STANDARD, 200));
    q.add(req("b", STANDARD, 300));
    q.add(req("b", SHEDDABLE, 4000));
    assertEquals(4, q.size());
    assertEquals(1, q.size(CRITICAL));
    assertEquals(2, q.size(STANDARD));
    assertEquals(1, q.size(SHEDDABLE));
    assertEquals(2, q.size("a"));
    assertEquals(0, q.size("nobody"));
    assertEquals(10, q.queuedCost(CRITICAL));
    assertEquals(510, q.queuedCost(STANDARD));
    assertEquals(4510, q.queuedCost(SHEDDABLE));
  }

  @Test
  void shedCandidateIsTheNewestOfTheHeaviestTenantInTheLowestClassBelow() {
    TenantFairQueue q = queue();
    QueuedRequest crit = req("x", CRITICAL, 50_000);
    q.add(crit);
    assertEquals(Optional.empty(), q.shedCandidate(STANDARD), "critical is never shed for a lower class");
    assertEquals(Optional.empty(), q.shedCandidate(CRITICAL), "nor for its own class");

    QueuedRequest stdA = req("a", STANDARD, 100);
    q.add(stdA);
    assertEquals(Optional.of(stdA), q.shedCandidate(CRITICAL));
    assertEquals(Optional.empty(), q.shedCandidate(STANDARD));

    QueuedRequest a1 = req("a", SHEDDABLE, 500);
    QueuedRequest b1 = req("b", SHEDDABLE, 400);
    QueuedRequest b2 = req("b", SHEDDABLE, 400);
    QueuedRequest c1 = req("c", SHEDDABLE, 800);
    q.add(a1);
    q.add(b1);
    q.add(b2);
    q.add(c1);
    assertEquals(Optional.of(b2), q.shedCandidate(CRITICAL), "b waits 800 tokens, ties with c, sorts first");
    assertEquals(Optional.of(b2), q.shedCandidate(STANDARD));
    assertEquals(Optional.empty(), q.shedCandidate(SHEDDABLE));
    q.remove(b2.id());
    assertEquals(Optional.of(c1), q.shedCandidate(STANDARD));
  }

  @Test
  void rejectsBadInput() {
    TenantFairQueue q = queue();
    QueuedRequest r = req("a", STANDARD, 1);
    q.add(r);
    assertThrows(IllegalArgumentException.class, () -> q.add(r));
    assertEquals(1, q.size());
    assertThrows(IllegalArgumentException.class, () -> new QueuedRequest(9, "a", STANDARD, 0, NEVER, 0));
    assertThrows(NullPointerException.class, () -> new QueuedRequest(9, null, STANDARD, 0, NEVER, 1));
    assertThrows(IllegalArgumentException.class, () -> new TenantFairQueue(Map.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> new TenantFairQueue(Map.of("a", -1.0), 1));
    assertThrows(IllegalArgumentException.class, () -> new TenantFairQueue(Map.of("a", Double.NaN), 1));
    assertThrows(IllegalArgumentException.class, () -> q.setWeight("a", Double.POSITIVE_INFINITY));
  }

  /** The benchmark's shape: 100,000 waiting requests of 1,000 tenants. */
  @Test
  void handlesAHundredThousandRequestsOfAThousandTenants() {
    TenantFairQueue q = queue();
    SplittableRandom rnd = new SplittableRandom(42);
    Priority[] classes = Priority.values();
    Map<Long, QueuedRequest> waiting = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      QueuedRequest r = req("t" + rnd.nextInt(1000), classes[rnd.nextInt(3)], 1 + rnd.nextInt(4000),
          i, 1_000 + rnd.nextInt(1_000_000));
      q.add(r);
      waiting.put(r.id(), r);
    }
    assertEquals(100_000, q.size());
    Set<Long> left = new HashSet<>();
    for (QueuedRequest r : q.expireDue(10_000)) {
      assertTrue(r.deadlineAtMs() <= 10_000);
      assertTrue(left.add(r.id()));
    }
    for (long id = 1; id < 100_000; id += 7) {
      if (q.remove(id)) {
        assertTrue(left.add(id));
      }
    }
    Priority last = CRITICAL;
    for (Optional<QueuedRequest> r = q.poll(); r.isPresent(); r = q.poll()) {
      assertFalse(r.get().priority().above(last), "classes come out highest first");
      last = r.get().priority();
      assertTrue(left.add(r.get().id()));
    }
    assertEquals(waiting.keySet(), left);
    assertEquals(0, q.size());
  }
}
