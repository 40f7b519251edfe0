package io.tensorforge.domain.intake.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Fair share in tokens between backlogged tenants of one class. */
class FairSharePropertyTest {

  private static final long MAX_COST = 4000;
  /** Requests each tenant keeps waiting: it is refilled as soon as one is served. */
  private static final int DEPTH = 3;

  /** Tenants that never run dry, each sending requests of the costs its generator picks. */
  private static final class Backlog {
    final TenantFairQueue queue;
    final Priority priority;
    final ToLongFunction<String> costOf;
    final Map<String, Long> served = new TreeMap<>();
    final Map<String, Integer> requests = new TreeMap<>();
    long total;
    private long nextId = 1;

    Backlog(TenantFairQueue queue, Priority priority, List<String> tenants, ToLongFunction<String> costOf) {
      this.queue = queue;
      this.priority = priority;
      this.costOf = costOf;
      for (int i = 0; i < DEPTH; i++) {
        for (String t : tenants) {
          add(t);
        }
      }
      tenants.forEach(t -> served.put(t, 0L));
    }

    private void add(String tenant) {
      queue.add(new QueuedRequest(nextId++, tenant, priority, 0, Long.MAX_VALUE, costOf.applyAsLong(tenant)));
    }

    void serveOne() {
      QueuedRequest r = queue.poll().orElseThrow();
      served.merge(r.tenant(), r.costTokens(), Long::sum);
      requests.merge(r.tenant(), 1, Integer::sum);
      total += r.costTokens();
      add(r.tenant());
    }

    /** Served tokens divided by weight: what VTC equalises. */
    double normalised(String tenant) {
      return served.get(tenant) / queue.weight(tenant);
    }

    double normalisedGap() {
      double max = served.keySet().stream().mapToDouble(this::normalised).max().orElseThrow();
      double min = served.keySet().stream().mapToDouble(this::normalised).min().orElseThrow();
      return max - min;
    }
  }

  private static List<String> shuffledTenants(int n, SplittableRandom rnd) {
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tenants.add("tenant-" + i);
    }
    Collections.shuffle(tenants, new java.util.Random(rnd.nextLong()));
    return tenants;
  }

  @Provide
  Arbitrary<Double> weight() {
    return Arbitraries.of(0.5, 1.0, 2.0, 3.0);
  }

  /**
   * 3. Equal weights: served tokens end within 5 % of the mean, and the gap between any two
   * tenants never exceeds one maximum request cost.
   */
  @Property(tries = 100)
  void equalTenantsGetEqualTokens(@ForAll @IntRange(min = 2, max = 8) int n, @ForAll("weight") double weight,
                                  @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> tenants = shuffledTenants(n, rnd);
    Map<String, Double> weights = new HashMap<>();
    tenants.forEach(t -> weights.put(t, weight));
    Backlog b = new Backlog(new TenantFairQueue(weights, 1.0), Priority.STANDARD, tenants,
        t -> rnd.nextLong(1, MAX_COST + 1));
    while (b.total < 200 * MAX_COST) {
      b.serveOne();
      long max = Collections.max(b.served.values());
      long min = Collections.min(b.served.values());
      assertTrue(max - min <= MAX_COST, "gap " + (max - min) + " after " + b.served);
    }
    double mean = (double) b.total / n;
    for (long s : b.served.values()) {
      assertEquals(mean, s, 0.05 * mean, () -> "shares " + b.served);
    }
  }

  /** 4. Weights 1 and 3: served tokens in ratio 1:3 within 5 %, gap bounded throughout. */
  @Property(tries = 100)
  void weightsOneAndThreeGetOneToThree(@ForAll boolean heavyNamedFirst, @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    String light = heavyNamedFirst ? "b" : "a";
    String heavy = heavyNamedFirst ? "a" : "b";
    Backlog b = new Backlog(new TenantFairQueue(Map.of(light, 1.0, heavy, 3.0), 1.0), Priority.CRITICAL,
        List.of(light, heavy), t -> rnd.nextLong(1, MAX_COST + 1));
    while (b.total < 200 * MAX_COST) {
      b.serveOne();
      assertTrue(b.normalisedGap() <= MAX_COST, () -> "gap after " + b.served);
    }
    double ratio = (double) b.served.get(heavy) / b.served.get(light);
    assertEquals(3.0, ratio, 0.05 * 3.0, () -> "shares " + b.served);
  }

  /**
   * 4'. Any weights: each tenant's share of served tokens is within 5 % of its share of the
   * weights, and served tokens divided by weight never differ by more than one maximum charge.
   */
  @Property(tries = 50)
  void anyWeightsAreHonoured(@ForAll @IntRange(min = 2, max = 4) int n, @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> tenants = shuffledTenants(n, rnd);
    double[] choices = {0.5, 1.0, 2.0, 3.0};
    Map<String, Double> weights = new HashMap<>();
    tenants.forEach(t -> weights.put(t, choices[rnd.nextInt(choices.length)]));
    double minWeight = Collections.min(weights.values());
    double weightSum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Backlog b = new Backlog(new TenantFairQueue(weights, 1.0), Priority.SHEDDABLE, tenants,
        t -> rnd.nextLong(1, MAX_COST + 1));
    double maxCharge = MAX_COST / minWeight;
    while (tenants.stream().mapToDouble(b::normalised).min().orElseThrow() < 40 * maxCharge) {
      b.serveOne();
      assertTrue(b.normalisedGap() <= maxCharge, () -> "gap after " + b.served + " weights " + weights);
    }
    for (String t : tenants) {
      double expected = weights.get(t) / weightSum;
      double actual = (double) b.served.get(t) / b.total;
      assertEquals(expected, actual, 0.05 * expected, () -> "shares " + b.served + " weights " + weights);
    }
  }

  /**
   * 5. A tenant sending few large requests gets no more tokens than one sending many small
   * ones: never ahead by more than one large request, and equal within 5 % in the long run.
   */
  @Property(tries = 50)
  void fewLargeRequestsGetNoMoreThanManySmallOnes(@ForAll boolean largeNamedFirst, @ForAll long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    String large = largeNamedFirst ? "a" : "b";
    String small = largeNamedFirst ? "b" : "a";
    Backlog b = new Backlog(new TenantFairQueue(Map.of(), 1.0), Priority.STANDARD, List.of(large, small),
        t -> t.equals(large) ? rnd.nextLong(MAX_COST / 2, MAX_COST + 1) : rnd.nextLong(1, 201));
    while (b.total < 200 * MAX_COST) {
      b.serveOne();
      assertTrue(b.served.get(large) <= b.served.get(small) + MAX_COST, () -> "large ahead: " + b.served);
    }
    double mean = b.total / 2.0;
    assertEquals(mean, b.served.get(large), 0.05 * mean, () -> "shares " + b.served);
    assertTrue(b.requests.get(small) > 10 * b.requests.get(large), () -> "requests " + b.requests);
  }
}
