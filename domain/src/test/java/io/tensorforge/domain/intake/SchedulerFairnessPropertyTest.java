package io.tensorforge.domain.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.intake.queue.Priority;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.RoutingStrategies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Priority classes, bounds and the life of every ticket under random operation sequences, with
 * a model of every ticket kept beside the scheduler and compared after every step; and the
 * fair-share bound between two backlogged tenants.
 */
class SchedulerFairnessPropertyTest {

  static final List<String> MODELS = List.of("m0", "m1");
  static final List<String> TENANTS = List.of("t0", "t1", "t2");
  static final Map<String, Double> WEIGHTS = Map.of("t0", 1.0, "t1", 2.0);
  /** e0 serves m0 with 1 slot; e1 serves m0 and m1 with 2 slots. */
  static final List<EndpointSpec> FLEET = List.of(
      new EndpointSpec("e0", "http://e0", List.of("m0"), 1),
      new EndpointSpec("e1", "http://e1", List.of("m0", "m1"), 2));

  // ---------------------------------------------------------------- operations

  sealed interface Op {}

  record Admit(int model, int tenant, Priority priority, int cost, int deadlineInMs) implements Op {}

  record Release(int pick, int latencyMs, boolean success, int servedTokens) implements Op {}

  record Abandon(int pick) implements Op {}

  record Cancel(int pick) implements Op {}

  record Advance(int ms) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> admit = Combinators.combine(
        Arbitraries.integers().between(0, MODELS.size() - 1),
        Arbitraries.integers().between(0, TENANTS.size() - 1),
        Arbitraries.of(Priority.class),
        Arbitraries.integers().between(1, 4000),
        Arbitraries.integers().between(1, 3000)).as(Admit::new);
    Arbitrary<Op> release = Combinators.combine(
        Arbitraries.integers().between(0, 1000),
        Arbitraries.integers().between(1, 400),
        Arbitraries.of(true, true, true, false),
        Arbitraries.integers().between(-1, 5000)).as(Release::new);
    Arbitrary<Op> abandon = Arbitraries.integers().between(0, 1000).map(Abandon::new);
    Arbitrary<Op> cancel = Arbitraries.integers().between(0, 1000).map(Cancel::new);
    Arbitrary<Op> advance = Arbitraries.integers().between(1, 400).map(Advance::new);
    return Arbitraries.frequencyOf(
            Tuple.of(10, admit), Tuple.of(5, release), Tuple.of(1, abandon),
            Tuple.of(1, cancel), Tuple.of(3, advance))
        .list().ofMinSize(1).ofMaxSize(150);
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 300)
  void classesBoundsAndTicketLivesHoldAfterEveryStep(@ForAll("ops") List<Op> ops,
                                                     @ForAll @IntRange(min = 0, max = 8) int queueCapacity,
                                                     @ForAll @IntRange(min = 1, max = 8) int perTenant,
                                                     @ForAll boolean p2c,
                                                     @ForAll long seed) {
    Harness h = new Harness(queueCapacity, perTenant, p2c ? "p2c-latency" : "least-outstanding", seed);
    for (Op op : ops) {
      h.apply(op);
      h.check();
    }
    h.drainAndCheck();
  }

  /**
   * Two tenants kept backlogged on one 1-slot endpoint, with random costs and weights: at every
   * step, their served tokens divided by weight differ by at most about one large request (one
   * for the counters' gap, one for the first request, which started at once, before any queue).
   */
  @Property(tries = 60)
  void backloggedTenantsStayWithinAboutOneLargeRequest(@ForAll @IntRange(min = 1, max = 4) int weightA,
                                                       @ForAll @IntRange(min = 1, max = 4) int weightB,
                                                       @ForAll long seed) {
    Map<String, Double> weights = Map.of("a", (double) weightA, "b", (double) weightB);
    Scheduler s = new Scheduler(new SchedulerSettings(100, 100, 1000, 0, 1000, weights),
        m -> RoutingStrategies.create("p2c-latency"), new SplittableRandom(seed));
    s.upsertEndpoint(new EndpointSpec("e", "http://e", List.of("m"), 1), true, 0);
    SplittableRandom costs = new SplittableRandom(seed);
    Map<Long, Ticket> tickets = new HashMap<>();
    long[] nextId = {1};
    Lease running = null;
    for (String t : List.of("a", "b")) {
      while (s.queueDepthOfTenant(t) < 3) {
        Ticket tk = new Ticket(nextId[0]++, "m", t, Priority.STANDARD, 0, Long.MAX_VALUE / 4, costs.nextInt(1, 4001));
        tickets.put(tk.id(), tk);
        Admission a = s.admit(tk, 0);
        if (a instanceof Admission.Started st) {
          running = st.lease();
        }
      }
    }
    assertNotNull(running);
    Map<String, Long> served = new HashMap<>(Map.of("a", 0L, "b", 0L));
    double bound = 2 * 4000.0 / Math.min(weightA, weightB);
    long now = 0;
    for (int i = 0; i < 400; i++) {
      Ticket done = tickets.get(running.ticketId());
      served.merge(done.tenant(), done.costTokens(), Long::sum);
      double gap = served.get("a") / (double) weightA - served.get("b") / (double) weightB;
      assertTrue(Math.abs(gap) <= bound, "gap " + gap + " > " + bound + " after " + i + ": " + served);
      now += 10;
      List<Dispatch> ds = s.release(running.id(), 10, true, done.costTokens(), now);
      assertEquals(1, ds.size());
      running = ds.get(0).lease();
      String t = ds.get(0).ticket().tenant();
      Ticket tk = new Ticket(nextId[0]++, "m", t, Priority.STANDARD, now, Long.MAX_VALUE / 4, costs.nextInt(1, 4001));
      tickets.put(tk.id(), tk);
      assertTrue(s.admit(tk, now) instanceof Admission.Queued);
    }
  }

  // ---------------------------------------------------------------- the model beside the scheduler

  enum St { QUEUED, STARTED, DONE, EXPIRED, SHED, REFUSED, CANCELLED }

  static final class Harness {

    final Scheduler s;
    final int queueCapacity;
    final int perTenant;
    final Map<Long, St> state = new HashMap<>();
    final Map<Long, Ticket> tickets = new HashMap<>();
    /** lease id → ticket held. */
    final TreeMap<Long, Ticket> held = new TreeMap<>();
    final Map<Long, String> endpointOfLease = new HashMap<>();
    long now = 0;
    long nextTicket = 1;

    Harness(int queueCapacity, int perTenant, String strategy, long seed) {
      this.queueCapacity = queueCapacity;
      this.perTenant = perTenant;
      s = new Scheduler(new SchedulerSettings(queueCapacity, perTenant, 500, 0, 1000, WEIGHTS),
          m -> RoutingStrategies.create(strategy), new SplittableRandom(seed));
      for (EndpointSpec spec : FLEET) {
        assertEquals(List.of(), s.upsertEndpoint(spec, true, now));
      }
    }

    void apply(Op op) {
      if (op instanceof Admit a) {
        admit(a);
      } else if (op instanceof Release r) {
        if (held.isEmpty()) {
          assertEquals(List.of(), s.release(r.pick() + 1_000_000L, r.latencyMs(), r.success(), r.servedTokens(), now));
          return;
        }
        long leaseId = new ArrayList<>(held.keySet()).get(r.pick() % held.size());
        end(leaseId);
        dispatched(s.release(leaseId, r.latencyMs(), r.success(), r.servedTokens(), now));
        assertEquals(List.of(), s.release(leaseId, r.latencyMs(), r.success(), r.servedTokens(), now), "twice");
      } else if (op instanceof Abandon a) {
        if (held.isEmpty()) {
          assertEquals(List.of(), s.abandon(a.pick() + 1_000_000L, now));
          return;
        }
        long leaseId = new ArrayList<>(held.keySet()).get(a.pick() % held.size());
        end(leaseId);
        dispatched(s.abandon(leaseId, now));
        assertEquals(List.of(), s.abandon(leaseId, now), "twice");
      } else if (op instanceof Cancel c) {
        List<Long> waiting = waitingIds();
        if (waiting.isEmpty()) {
          return;
        }
        Ticket t = tickets.get(waiting.get(c.pick() % waiting.size()));
        assertEquals(t, s.expire(t.id(), t.model()).orElseThrow());
        move(t.id(), St.QUEUED, St.CANCELLED);
        assertTrue(s.expire(t.id(), t.model()).isEmpty(), "cancelled twice");
      } else if (op instanceof Advance a) {
        now += a.ms();
        expireDue();
      } else {
        fail("unknown op " + op);
      }
    }

    void admit(Admit a) {
      String model = MODELS.get(a.model());
      Priority p = a.priority();
      Ticket t = new Ticket(nextTicket++, model, TENANTS.get(a.tenant()), p, now, now + a.deadlineInMs(), a.cost());
      tickets.put(t.id(), t);
      long waitMs = s.estimatedWaitMs(model, p, now);
      long waitingOfModel = waitingOf(model).size();
      long waitingTotal = count(St.QUEUED);
      long waitingOfTenant = waitingIds().stream().filter(id -> tickets.get(id).tenant().equals(t.tenant())).count();
      Priority lowestWaiting = waitingIds().stream().map(id -> tickets.get(id).priority())
          .max(Enum::compareTo).orElse(null);
      boolean lowerWaiting = lowestWaiting != null && p.above(lowestWaiting);
      boolean tenantBound = perTenant < queueCapacity && waitingOfTenant >= perTenant;

      Admission adm = s.admit(t, now);
      if (adm instanceof Admission.Started st) {
        assertEquals(0, waitingOfModel, "started ahead of waiting tickets of its model");
        started(t, st.lease());
      } else if (adm instanceof Admission.Queued q) {
        assertEquals(t, q.ticket());
        assertTrue(waitMs <= a.deadlineInMs(), "queued although the estimate " + waitMs + " exceeds the deadline");
        assertFalse(tenantBound, "queued over the tenant's bound");
        if (waitingTotal < queueCapacity) {
          assertEquals(List.of(), q.shed(), "shed with room to spare");
        } else {
          assertEquals(1, q.shed().size(), "a full queue makes room by shedding exactly one");
          Ticket victim = q.shed().get(0);
          assertEquals(St.QUEUED, state.get(victim.id()), "shed a ticket that was not waiting");
          assertTrue(p.above(victim.priority()), "shed " + victim.priority() + " for " + p);
          assertEquals(lowestWaiting, victim.priority(), "the lowest class waiting is shed first");
          long newestOfItsTenant = waitingOf(victim.model()).stream().map(tickets::get)
              .filter(x -> x.tenant().equals(victim.tenant()) && x.priority() == victim.priority())
              .mapToLong(Ticket::id).max().orElseThrow();
          assertEquals(newestOfItsTenant, victim.id(), "the newest of its tenant and class is shed");
          move(victim.id(), St.QUEUED, St.SHED);
        }
        state.put(t.id(), St.QUEUED);
        assertEquals(count(St.QUEUED), q.depth());
      } else if (adm instanceof Admission.Refused r) {
        state.put(t.id(), St.REFUSED);
        ErrorCode expected = waitMs > a.deadlineInMs() ? ErrorCode.DEADLINE_UNREACHABLE
            : tenantBound ? ErrorCode.TENANT_QUEUE_FULL
            : ErrorCode.QUEUE_FULL;
        assertEquals(expected, r.code(), r.message());
        if (expected == ErrorCode.QUEUE_FULL) {
          assertEquals(queueCapacity, waitingTotal, "refused as full below capacity");
          assertFalse(lowerWaiting, "refused as full while a lower class could be shed");
        }
        assertTrue(r.retryAfterMs() >= 1000, "retryAfterMs " + r.retryAfterMs());
        if (expected == ErrorCode.DEADLINE_UNREACHABLE) {
          assertTrue(r.retryAfterMs() >= waitMs);
        }
      }
    }

    void end(long leaseId) {
      Ticket t = held.remove(leaseId);
      assertNotNull(t);
      endpointOfLease.remove(leaseId);
      move(t.id(), St.STARTED, St.DONE);
    }

    void expireDue() {
      List<Long> expected = waitingIds().stream().filter(id -> tickets.get(id).expiredAt(now)).sorted().toList();
      List<Long> actual = new ArrayList<>();
      for (Ticket t : s.expireDue(now)) {
        move(t.id(), St.QUEUED, St.EXPIRED);
        actual.add(t.id());
      }
      assertEquals(expected, actual.stream().sorted().toList());
    }

    /** Checks each dispatch in order against the waiting tickets left at that moment. */
    void dispatched(List<Dispatch> ds) {
      for (Dispatch d : ds) {
        Ticket t = d.ticket();
        assertEquals(St.QUEUED, state.get(t.id()), "dispatched a ticket that was not waiting: " + t);
        for (long id : waitingOf(t.model())) {
          Ticket w = tickets.get(id);
          assertFalse(w.priority().above(t.priority()),
              "dispatched " + t.priority() + " " + t.id() + " while " + w.priority() + " " + w.id() + " of " + t.model() + " waits");
          if (w.priority() == t.priority() && w.tenant().equals(t.tenant())) {
            assertTrue(w.id() >= t.id(), "FIFO within tenant and class: " + t.id() + " before " + w.id());
          }
        }
        started(t, d.lease());
      }
      // nothing was added while the dispatches ran: no higher class of their model is waiting now
      for (Dispatch d : ds) {
        for (Priority q : Priority.values()) {
          if (q.above(d.ticket().priority())) {
            assertEquals(0, s.queueDepth(d.ticket().model(), q), q + " left waiting in " + d.ticket().model());
          }
        }
      }
    }

    void started(Ticket t, Lease lease) {
      assertEquals(t.id(), lease.ticketId());
      assertEquals(t.model(), lease.model());
      assertFalse(held.containsKey(lease.id()), "lease id reused");
      assertTrue(FLEET.stream().anyMatch(e -> e.id().equals(lease.endpointId()) && e.models().contains(t.model())));
      St before = state.put(t.id(), St.STARTED);
      assertTrue(before == null || before == St.QUEUED, "started from " + before);
      held.put(lease.id(), t);
      endpointOfLease.put(lease.id(), lease.endpointId());
    }

    void move(long id, St from, St to) {
      assertEquals(from, state.get(id), "ticket " + id);
      state.put(id, to);
    }

    void check() {
      assertEquals(count(St.QUEUED), s.queueDepth());
      assertTrue(s.queueDepth() <= queueCapacity, "queue " + s.queueDepth() + " > " + queueCapacity);
      for (String m : MODELS) {
        assertEquals(waitingOf(m).size(), s.queueDepth(m), "queue of " + m);
        for (Priority p : Priority.values()) {
          long n = waitingOf(m).stream().filter(id -> tickets.get(id).priority() == p).count();
          assertEquals(n, s.queueDepth(m, p), p + " queue of " + m);
        }
      }
      for (String tenant : TENANTS) {
        long n = waitingIds().stream().filter(id -> tickets.get(id).tenant().equals(tenant)).count();
        assertEquals(n, s.queueDepthOfTenant(tenant), "waiting of " + tenant);
        if (perTenant < queueCapacity) {
          assertTrue(n <= perTenant, tenant + " has " + n + " waiting, over its bound " + perTenant);
        }
      }
      assertEquals(count(St.STARTED), held.size());
      assertEquals(held.size(), s.leasesHeld());
      for (EndpointState e : s.endpoints()) {
        assertTrue(e.inFlight() <= e.maxConcurrent(), e.id() + " has " + e.inFlight() + " > " + e.maxConcurrent());
        long mine = endpointOfLease.values().stream().filter(e.id()::equals).count();
        assertEquals(mine, e.inFlight(), "in flight on " + e.id());
      }
      assertEquals(nextTicket - 1, state.size(), "a ticket without a state");
    }

    /** Releases every lease, then lets every deadline pass: every ticket must have ended once. */
    void drainAndCheck() {
      int rounds = 0;
      while (!held.isEmpty()) {
        long leaseId = held.firstKey();
        end(leaseId);
        dispatched(s.release(leaseId, 10, true, 10, now));
        check();
        assertTrue(++rounds < 10_000);
      }
      // every endpoint is idle now, so nobody can be left waiting
      assertEquals(0, s.queueDepth(), "tickets wait with every endpoint idle");
      now += 10_000;
      expireDue();
      check();
      assertEquals(0, s.queueDepth());
      assertEquals(0, s.leasesHeld());
      for (String tenant : TENANTS) {
        assertEquals(0, s.queueDepthOfTenant(tenant));
      }
      for (Map.Entry<Long, St> e : state.entrySet()) {
        if (e.getValue() == St.STARTED || e.getValue() == St.QUEUED) {
          fail("ticket " + e.getKey() + " is still " + e.getValue());
        }
      }
    }

    List<Long> waitingIds() {
      return state.entrySet().stream().filter(e -> e.getValue() == St.QUEUED).map(Map.Entry::getKey).sorted().toList();
    }

    List<Long> waitingOf(String model) {
      return waitingIds().stream().filter(id -> tickets.get(id).model().equals(model)).toList();
    }

    long count(St st) {
      return state.values().stream().filter(x -> x == st).count();
    }
  }
}
