package io.tensorforge.domain.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tensorforge.domain.error.ErrorCode;
import io.tensorforge.domain.routing.EndpointSpec;
import io.tensorforge.domain.routing.EndpointState;
import io.tensorforge.domain.routing.P2cLatencyStrategy;
import io.tensorforge.domain.routing.RoutingStrategies;
import io.tensorforge.domain.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences against a scheduler, with a model of what every ticket should be
 * kept beside it and compared after every step.
 */
class SchedulerPropertiesTest {

  static final List<String> MODELS = List.of("m0", "m1", "m2", "m3"); // m3 is served by nobody

  // ---------------------------------------------------------------- operations

  sealed interface Op {}

  record Admit(int model, int deadlineInMs) implements Op {}

  record Release(int pick, int latencyMs, boolean success) implements Op {}

  record Advance(int ms) implements Op {}

  record SetUp(int endpoint, boolean up) implements Op {}

  record Remove(int endpoint) implements Op {}

  record Readd(int endpoint) implements Op {}

  /** One endpoint of the fleet: capacity and the models (bit i = MODELS.get(i)) it serves. */
  record EndpointCfg(int maxConcurrent, int modelMask) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> admit = Combinators.combine(Arbitraries.integers().between(0, MODELS.size() - 1),
        Arbitraries.integers().between(0, 400)).as(Admit::new);
    Arbitrary<Op> release = Combinators.combine(Arbitraries.integers().between(0, 1000),
        Arbitraries.integers().between(1, 300), Arbitraries.of(true, true, true, false)).as(Release::new);
    Arbitrary<Op> advance = Arbitraries.integers().between(1, 150).map(Advance::new);
    Arbitrary<Op> setUp = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
        .as(SetUp::new);
    Arbitrary<Op> remove = Arbitraries.integers().between(0, 3).map(Remove::new);
    Arbitrary<Op> readd = Arbitraries.integers().between(0, 3).map(Readd::new);
    return Arbitraries.frequencyOf(
            Tuple.of(8, admit), Tuple.of(5, release), Tuple.of(3, advance),
            Tuple.of(2, setUp), Tuple.of(2, remove), Tuple.of(2, readd))
        .list().ofMinSize(1).ofMaxSize(120);
  }

  @Provide
  Arbitrary<List<EndpointCfg>> fleets() {
    return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 7))
        .as(EndpointCfg::new).list().ofMinSize(2).ofMaxSize(4);
  }

  /** A strategy per served model; "p2c-sample" scores only two of them, so the seed matters. */
  @Provide
  Arbitrary<List<String>> strategies() {
    return Arbitraries.of("p2c-latency", "p2c-sample", "round-robin", "least-outstanding").list().ofSize(3);
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 1000)
  void invariantsHoldAfterEveryStep(@ForAll("fleets") List<EndpointCfg> fleet,
                                    @ForAll("strategies") List<String> strategies,
                                    @ForAll("ops") List<Op> ops,
                                    @ForAll @IntRange(min = 0, max = 6) int queueCapacity,
                                    @ForAll long seed) {
    Harness h = new Harness(fleet, strategies, queueCapacity, seed);
    for (Op op : ops) {
      h.apply(op);
      h.check();
    }
    h.drainAndCheck();
  }

  @Property(tries = 100)
  void theSameSeedAndOperationsGiveTheSameDecisions(@ForAll("fleets") List<EndpointCfg> fleet,
                                                    @ForAll("strategies") List<String> strategies,
                                                    @ForAll("ops") List<Op> ops,
                                                    @ForAll @IntRange(min = 0, max = 6) int queueCapacity,
                                                    @ForAll long seed) {
    Harness first = new Harness(fleet, strategies, queueCapacity, seed);
    Harness second = new Harness(fleet, strategies, queueCapacity, seed);
    for (Op op : ops) {
      first.apply(op);
      second.apply(op);
    }
    first.drainAndCheck();
    second.drainAndCheck();
    assertEquals(first.trace, second.trace);
  }

  /**
   * Three endpoints of 5, 50 and 200 ms with room to spare. The latency-aware router sends
   * nearly everything to the fast one; round-robin, the baseline, spreads evenly.
   *
   * <p>The slower two get only cold-start probes: an endpoint with no observation scores
   * optimistically, and while its first request runs it is scored by that request's age alone,
   * so in the first few ms (before the fast one has answered) the 200 ms endpoint can take one
   * or two requests more than the 50 ms one. After that, neither gets anything.
   */
  @Property(tries = 20)
  void p2cLatencyFavoursTheFastestWhereRoundRobinSpreadsEvenly(@ForAll long seed) {
    Map<Long, String> p2c = simulate("p2c-latency", seed);
    Map<String, Integer> n = counts(p2c);
    assertEquals(500, p2c.size());
    assertTrue(n.get("fast") >= 450, "p2c-latency: " + n);
    assertTrue(n.get("mid") >= 1 && n.get("mid") <= 3, "every endpoint is probed, briefly: " + n);
    assertTrue(n.get("slow") >= 1 && n.get("slow") <= 3, "every endpoint is probed, briefly: " + n);
    p2c.forEach((ticket, endpoint) ->
        assertTrue(ticket <= 10 || endpoint.equals("fast"), "after warm-up ticket " + ticket + " went to " + endpoint));

    Map<String, Integer> rr = counts(simulate("round-robin", seed));
    for (int x : rr.values()) {
      assertTrue(x >= 166 && x <= 167, "round-robin: " + rr);
    }
  }

  private static Map<String, Integer> counts(Map<Long, String> placement) {
    Map<String, Integer> count = new TreeMap<>(Map.of("fast", 0, "mid", 0, "slow", 0));
    placement.values().forEach(e -> count.merge(e, 1, Integer::sum));
    return count;
  }

  private static final Map<String, Integer> SERVICE_MS = Map.of("fast", 5, "mid", 50, "slow", 200);

  /**
   * Runs 500 arrivals (1 to 19 ms apart) and completes each lease after its endpoint's latency
   * on a fake clock; returns where each ticket ran.
   */
  private static Map<Long, String> simulate(String strategy, long seed) {
    Scheduler s = new Scheduler(new SchedulerSettings(1000, 1000, 10_000), m -> RoutingStrategies.create(strategy),
        new SplittableRandom(seed));
    for (String id : List.of("fast", "mid", "slow")) {
      s.upsertEndpoint(new EndpointSpec(id, "http://" + id, List.of("m"), 16), true, 0);
    }
    SplittableRandom arrivals = new SplittableRandom(seed);
    Map<Long, String> placement = new TreeMap<>();
    // completions: {atMs, leaseId, latencyMs}
    PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long now = 0;
    for (int i = 1; i <= 500; i++) {
      now += arrivals.nextInt(1, 20);
      completeUntil(s, due, now, placement);
      Admission a = s.admit(new Ticket(i, "m", now, now + 60_000), now);
      if (a instanceof Admission.Started st) {
        started(st.lease(), now, due, placement);
      } else {
        assertTrue(a instanceof Admission.Queued, "with this much room nothing is refused: " + a);
      }
    }
    completeUntil(s, due, Long.MAX_VALUE, placement);
    assertEquals(0, s.queueDepth());
    assertEquals(0, s.leasesHeld());
    return placement;
  }

  private static void completeUntil(Scheduler s, PriorityQueue<long[]> due, long until, Map<Long, String> placement) {
    while (!due.isEmpty() && due.peek()[0] <= until) {
      long[] c = due.poll();
      for (Dispatch d : s.release(c[1], c[2], true, c[0])) {
        started(d.lease(), c[0], due, placement);
      }
    }
  }

  private static void started(Lease lease, long now, PriorityQueue<long[]> due, Map<Long, String> placement) {
    int service = SERVICE_MS.get(lease.endpointId());
    assertEquals(null, placement.put(lease.ticketId(), lease.endpointId()), "started twice");
    due.add(new long[] {now + service, lease.id(), service});
  }

  // ---------------------------------------------------------------- the model beside the scheduler

  enum St { STARTED, QUEUED, REFUSED, EXPIRED, DONE }

  record Held(long ticketId, String model, String endpointId, int incarnation) {}

  static final class Harness {

    final Scheduler s;
    final List<EndpointSpec> specs = new ArrayList<>();
    final int queueCapacity;
    final Map<Long, St> state = new HashMap<>();
    final Map<Long, Ticket> tickets = new HashMap<>();
    final TreeMap<Long, Held> held = new TreeMap<>();
    final Set<Long> leaseIdsSeen = new HashSet<>();
    final Map<String, Integer> incarnation = new HashMap<>();
    final Set<String> present = new HashSet<>();
    final Set<String> up = new HashSet<>();
    final Map<String, Long> lastStarted = new HashMap<>();
    final List<String> trace = new ArrayList<>();
    long now = 0;
    long nextTicket = 1;

    Harness(List<EndpointCfg> fleet, List<String> strategies, int queueCapacity, long seed) {
      this.queueCapacity = queueCapacity;
      s = new Scheduler(new SchedulerSettings(queueCapacity, 500, 2000),
          model -> strategy(strategies.get(MODELS.indexOf(model) % strategies.size())), new SplittableRandom(seed));
      for (int i = 0; i < fleet.size(); i++) {
        List<String> models = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
          if ((fleet.get(i).modelMask() & (1 << b)) != 0) {
            models.add(MODELS.get(b));
          }
        }
        EndpointSpec spec = new EndpointSpec("e" + i, "http://e" + i, models, fleet.get(i).maxConcurrent());
        specs.add(spec);
        incarnation.put(spec.id(), 0);
        present.add(spec.id());
        up.add(spec.id());
        assertEquals(List.of(), s.upsertEndpoint(spec, true, now));
      }
      check();
    }

    static RoutingStrategy strategy(String name) {
      return name.equals("p2c-sample") ? new P2cLatencyStrategy(2) : RoutingStrategies.create(name);
    }

    void apply(Op op) {
      if (op instanceof Admit a) {
        admit(MODELS.get(a.model()), a.deadlineInMs());
      } else if (op instanceof Release r) {
        if (!held.isEmpty()) {
          long leaseId = new ArrayList<>(held.keySet()).get(r.pick() % held.size());
          release(leaseId, r.latencyMs(), r.success());
        } else {
          assertEquals(List.of(), s.release(r.pick() + 1_000_000L, r.latencyMs(), r.success(), now));
        }
      } else if (op instanceof Advance a) {
        now += a.ms();
        expireDue();
      } else if (op instanceof SetUp u) {
        if (u.endpoint() < specs.size()) {
          String id = specs.get(u.endpoint()).id();
          List<Dispatch> ds = s.setUp(id, u.up(), now);
          if (present.contains(id)) {
            boolean changed = up.contains(id) != u.up();
            if (u.up()) {
              up.add(id);
            } else {
              up.remove(id);
            }
            if (!changed || !u.up()) {
              assertEquals(List.of(), ds, "only an endpoint coming up starts anything");
            }
          } else {
            assertEquals(List.of(), ds);
          }
          dispatched(ds);
        }
      } else if (op instanceof Remove r) {
        if (r.endpoint() < specs.size()) {
          remove(specs.get(r.endpoint()));
        }
      } else if (op instanceof Readd r) {
        if (r.endpoint() < specs.size() && !present.contains(specs.get(r.endpoint()).id())) {
          EndpointSpec spec = specs.get(r.endpoint());
          incarnation.merge(spec.id(), 1, Integer::sum);
          present.add(spec.id());
          up.add(spec.id());
          dispatched(s.upsertEndpoint(spec, true, now));
        }
      } else {
        fail("unknown op " + op);
      }
    }

    void admit(String model, int deadlineIn) {
      Ticket t = new Ticket(nextTicket++, model, now, now + deadlineIn);
      tickets.put(t.id(), t);
      long queuedBefore = count(St.QUEUED);
      boolean othersWaiting = queuedOf(model) > 0;
      Admission a = s.admit(t, now);
      if (a instanceof Admission.Started st) {
        assertFalse(othersWaiting, "started ahead of waiting tickets of its model");
        started(t, st.lease());
      } else if (a instanceof Admission.Queued q) {
        assertEquals(t, q.ticket());
        state.put(t.id(), St.QUEUED);
        assertEquals(queuedBefore + 1, q.depth());
      } else if (a instanceof Admission.Refused r) {
        state.put(t.id(), St.REFUSED);
        boolean served = servedBy(model).stream().anyMatch(present::contains);
        boolean anyUp = servedBy(model).stream().anyMatch(id -> present.contains(id) && up.contains(id));
        ErrorCode expected = !served ? ErrorCode.MODEL_NOT_FOUND
            : t.expiredAt(now) ? ErrorCode.QUEUE_TIMEOUT
            : !anyUp ? ErrorCode.NO_HEALTHY_ENDPOINT
            : s.estimatedWaitMs(model, t.priority(), now) > deadlineIn ? ErrorCode.DEADLINE_UNREACHABLE
            : ErrorCode.QUEUE_FULL;
        assertEquals(expected, r.code(), r.message());
        if (expected == ErrorCode.QUEUE_FULL) {
          assertEquals(queueCapacity, queuedBefore, "refused as full below capacity");
          assertTrue(r.retryAfterMs() >= 1000);
        }
      }
    }

    void release(long leaseId, int latencyMs, boolean success) {
      Held h = held.remove(leaseId);
      assertNotNull(h);
      assertEquals(St.STARTED, state.get(h.ticketId()));
      state.put(h.ticketId(), St.DONE);
      dispatched(s.release(leaseId, latencyMs, success, now));
      // the same lease again changes nothing
      assertEquals(List.of(), s.release(leaseId, latencyMs, success, now));
    }

    void expireDue() {
      Set<Long> expected = new TreeSet<>();
      state.forEach((id, st) -> {
        if (st == St.QUEUED && tickets.get(id).expiredAt(now)) {
          expected.add(id);
        }
      });
      Set<Long> actual = new TreeSet<>();
      for (Ticket t : s.expireDue(now)) {
        assertEquals(St.QUEUED, state.get(t.id()), "expired a ticket that was not waiting: " + t);
        assertTrue(actual.add(t.id()), "expired twice in one call");
        state.put(t.id(), St.EXPIRED);
      }
      assertEquals(expected, actual);
    }

    void remove(EndpointSpec spec) {
      boolean wasPresent = present.remove(spec.id());
      up.remove(spec.id());
      List<Ticket> orphans = s.removeEndpoint(spec.id());
      if (!wasPresent) {
        assertEquals(List.of(), orphans);
        return;
      }
      Set<Long> expected = new TreeSet<>();
      for (String m : spec.models()) {
        if (servedBy(m).stream().noneMatch(present::contains)) {
          state.forEach((id, st) -> {
            if (st == St.QUEUED && tickets.get(id).model().equals(m)) {
              expected.add(id);
            }
          });
        }
      }
      Set<Long> actual = new TreeSet<>();
      for (Ticket t : orphans) {
        assertEquals(St.QUEUED, state.get(t.id()));
        assertTrue(actual.add(t.id()));
        state.put(t.id(), St.REFUSED);
      }
      assertEquals(expected, actual);
    }

    void dispatched(List<Dispatch> ds) {
      for (Dispatch d : ds) {
        assertEquals(St.QUEUED, state.get(d.ticket().id()), "dispatched a ticket that was not waiting: " + d.ticket());
        assertEquals(d.ticket().id(), d.lease().ticketId());
        started(d.ticket(), d.lease());
      }
    }

    void started(Ticket t, Lease lease) {
      assertTrue(leaseIdsSeen.add(lease.id()), "lease id reused: " + lease.id());
      assertEquals(t.id(), lease.ticketId());
      assertEquals(t.model(), lease.model());
      assertTrue(present.contains(lease.endpointId()) && up.contains(lease.endpointId()),
          "started on an endpoint that is gone or down: " + lease.endpointId());
      assertTrue(servedBy(t.model()).contains(lease.endpointId()));
      assertFalse(t.expiredAt(now) && state.get(t.id()) == null, "an expired ticket was admitted");
      Long last = lastStarted.put(t.model(), t.id());
      assertTrue(last == null || last < t.id(), "FIFO broken in " + t.model() + ": " + t.id() + " after " + last);
      state.put(t.id(), St.STARTED);
      held.put(lease.id(), new Held(t.id(), t.model(), lease.endpointId(), incarnation.get(lease.endpointId())));
      trace.add(t.id() + "->" + lease.endpointId() + " @" + now + " " + lease.decision());
    }

    void check() {
      for (EndpointState e : s.endpoints()) {
        assertTrue(e.inFlight() <= e.maxConcurrent(), e.id() + " has " + e.inFlight() + " > " + e.maxConcurrent());
        long mine = held.values().stream()
            .filter(h -> h.endpointId().equals(e.id()) && h.incarnation() == incarnation.get(e.id())).count();
        assertEquals(mine, e.inFlight(), "in flight on " + e.id());
        assertEquals(up.contains(e.id()), e.up());
      }
      assertEquals(present, new HashSet<>(s.endpoints().stream().map(EndpointState::id).toList()));
      assertEquals(count(St.QUEUED), s.queueDepth());
      assertTrue(s.queueDepth() <= queueCapacity);
      for (String m : MODELS) {
        assertEquals(queuedOf(m), s.queueDepth(m), "queue of " + m);
      }
      assertEquals(count(St.STARTED), held.size());
      assertEquals(held.size(), s.leasesHeld());
      assertEquals(nextTicket - 1, state.size(), "a ticket without a state");
    }

    /** Releases every lease until none is left, then expires everything; nothing may remain. */
    void drainAndCheck() {
      int rounds = 0;
      while (!held.isEmpty()) {
        release(held.firstKey(), 10, true);
        check();
        assertTrue(++rounds < 10_000);
      }
      // at rest, every endpoint is idle: a model with an endpoint up has nobody waiting
      for (String m : MODELS) {
        boolean anyUp = servedBy(m).stream().anyMatch(id -> present.contains(id) && up.contains(id));
        if (anyUp) {
          assertEquals(0, s.queueDepth(m), "tickets of " + m + " wait with an idle endpoint up");
        }
      }
      now += 1_000;
      expireDue();
      check();
      assertEquals(0, s.queueDepth());
      assertEquals(0, s.leasesHeld());
      for (St st : state.values()) {
        if (st == St.STARTED || st == St.QUEUED) {
          fail("a ticket is still " + st);
        }
      }
    }

    List<String> servedBy(String model) {
      List<String> ids = new ArrayList<>();
      for (EndpointSpec spec : specs) {
        if (spec.models().contains(model)) {
          ids.add(spec.id());
        }
      }
      return ids;
    }

    long count(St st) {
      return state.values().stream().filter(x -> x == st).count();
    }

    long queuedOf(String model) {
      return state.entrySet().stream()
          .filter(e -> e.getValue() == St.QUEUED && tickets.get(e.getKey()).model().equals(model)).count();
    }
  }
}
