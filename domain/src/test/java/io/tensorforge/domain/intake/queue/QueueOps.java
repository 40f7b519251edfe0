package io.tensorforge.domain.intake.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Random operation sequences on a {@link TenantFairQueue}, and a driver that plays them. */
final class QueueOps {

  static final int TENANTS = 6;
  static final long MAX_COST = 4000;
  static final long NO_DEADLINE = -1;

  sealed interface Op permits Add, Poll, Remove, Advance, Expire, Correct, SetWeight {}

  /** A request of tenant {@code tenant} arriving now; {@code ttlMs} {@link #NO_DEADLINE} means none. */
  record Add(int tenant, Priority priority, long cost, long ttlMs) implements Op {}

  record Poll() implements Op {}

  /** Removes the {@code pick}-th waiting request by id or, if fewer wait, some other id. */
  record Remove(int pick) implements Op {}

  record Advance(long ms) implements Op {}

  record Expire() implements Op {}

  record Correct(int tenant, Priority priority, long delta) implements Op {}

  record SetWeight(int tenant, double weight) implements Op {}

  private QueueOps() {
  }

  static String tenant(int i) {
    return "t" + i;
  }

  static Arbitrary<Double> weights() {
    return Arbitraries.of(0.5, 1.0, 1.5, 2.0, 3.0);
  }

  static Arbitrary<Map<String, Double>> initialWeights() {
    return Arbitraries.maps(Arbitraries.integers().between(0, TENANTS - 1).map(QueueOps::tenant), weights())
        .ofMaxSize(TENANTS);
  }

  static Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> tenant = Arbitraries.integers().between(0, TENANTS - 1);
    Arbitrary<Priority> priority = Arbitraries.of(Priority.class);
    Arbitrary<Long> cost = Arbitraries.longs().between(1, MAX_COST);
    Arbitrary<Long> ttl = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.longs().between(0, 500)),
        Tuple.of(1, Arbitraries.just(NO_DEADLINE)));
    Arbitrary<Op> add = Combinators.combine(tenant, priority, cost, ttl).as(Add::new);
    Arbitrary<Op> poll = Arbitraries.just(new Poll());
    Arbitrary<Op> remove = Arbitraries.integers().between(0, 60).map(Remove::new);
    Arbitrary<Op> advance = Arbitraries.longs().between(0, 200).map(Advance::new);
    Arbitrary<Op> expire = Arbitraries.just(new Expire());
    Arbitrary<Op> correct = Combinators.combine(tenant, priority, Arbitraries.longs().between(-MAX_COST, MAX_COST))
        .as(Correct::new);
    Arbitrary<Op> weight = Combinators.combine(tenant, weights()).as(SetWeight::new);
    return Arbitraries.frequencyOf(
            Tuple.of(10, add), Tuple.of(6, poll), Tuple.of(2, remove), Tuple.of(3, advance),
            Tuple.of(2, expire), Tuple.of(2, correct), Tuple.of(1, weight))
        .list().ofMaxSize(300).withSizeDistribution(RandomDistribution.uniform());
  }

  /** What one operation returned. */
  record Outcome(Op op, Optional<QueuedRequest> added, Optional<QueuedRequest> polled, long removedId,
                 boolean removed, List<QueuedRequest> expired) {}

  /**
   * Plays operations on a queue with a clock it advances and ids it hands out in order. Keeps
   * its own ledger of what is waiting, built only from the queue's answers.
   */
  static final class Driver {
    final TenantFairQueue queue;
    final TreeMap<Long, QueuedRequest> waiting = new TreeMap<>();
    long now = 1_000;
    private long nextId = 1;

    Driver(Map<String, Double> weights) {
      queue = new TenantFairQueue(weights, 1.0);
    }

    Outcome step(Op op) {
      Optional<QueuedRequest> added = Optional.empty();
      Optional<QueuedRequest> polled = Optional.empty();
      long removedId = 0;
      boolean removed = false;
      List<QueuedRequest> expired = List.of();
      if (op instanceof Add a) {
        long deadline = a.ttlMs() == NO_DEADLINE ? Long.MAX_VALUE : now + a.ttlMs();
        QueuedRequest r = new QueuedRequest(nextId++, tenant(a.tenant()), a.priority(), now, deadline, a.cost());
        queue.add(r);
        added = Optional.of(r);
      } else if (op instanceof Poll) {
        polled = queue.poll();
      } else if (op instanceof Remove r) {
        List<Long> ids = new ArrayList<>(waiting.keySet());
        // past the waiting ones: a small id that may have left already, or never existed (0)
        removedId = r.pick() < ids.size() ? ids.get(r.pick()) : r.pick() - ids.size();
        removed = queue.remove(removedId);
      } else if (op instanceof Advance a) {
        now += a.ms();
      } else if (op instanceof Expire) {
        expired = queue.expireDue(now);
      } else if (op instanceof Correct c) {
        queue.correct(tenant(c.tenant()), c.priority(), c.delta());
      } else if (op instanceof SetWeight w) {
        queue.setWeight(tenant(w.tenant()), w.weight());
      }
      Outcome outcome = new Outcome(op, added, polled, removedId, removed, expired);
      added.ifPresent(r -> waiting.put(r.id(), r));
      polled.ifPresent(r -> waiting.remove(r.id()));
      expired.forEach(r -> waiting.remove(r.id()));
      if (removed) {
        waiting.remove(removedId);
      }
      return outcome;
    }
  }
}
