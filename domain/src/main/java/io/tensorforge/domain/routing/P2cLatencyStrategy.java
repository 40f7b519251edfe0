package io.tensorforge.domain.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Lowest expected time to finish ({@link EndpointState#expectedFinishMs(long)}). A model with
 * few endpoints has all of them scored: with few endpoints of different speeds, sampling two
 * would leave the fastest out of a third of the picks. A large fleet is sampled with the power
 * of two random choices, which is as good there and costs O(1).
 */
public final class P2cLatencyStrategy implements RoutingStrategy {

  public static final String NAME = "p2c-latency";

  /**
   * The score of an endpoint whose speed is unknown while its probe is still running: it takes
   * no more traffic until the probe answers (one probe at a time). Without this rule a cold slow
   * endpoint would look fast for as long as its first request takes. When every candidate is
   * probing (a cold start under a burst) nothing is known about speed, and the share of slots in
   * use decides, so the burst spreads evenly instead of piling onto the youngest probe.
   */
  static final double PROBING = 1e12;

  private final int scoreAllUpTo;

  public P2cLatencyStrategy(int scoreAllUpTo) {
    this.scoreAllUpTo = Math.max(2, scoreAllUpTo);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<RoutingChoice> choose(List<EndpointState> endpoints, long nowMs, RandomGenerator random) {
    if (endpoints.isEmpty()) {
      return Optional.empty();
    }
    List<EndpointState> considered = endpoints.size() <= scoreAllUpTo ? endpoints : sampleTwo(endpoints, random);
    boolean anyAvailable = false;
    for (EndpointState e : considered) {
      anyAvailable |= !probing(e, nowMs);
    }
    List<Candidate> candidates = new ArrayList<>(considered.size());
    EndpointState best = null;
    double bestScore = Double.MAX_VALUE;
    for (EndpointState e : considered) {
      double score = !anyAvailable ? (double) e.inFlight() / e.maxConcurrent()
          : probing(e, nowMs) ? PROBING : e.expectedFinishMs(nowMs);
      candidates.add(new Candidate(e.id(), score, e.inFlight(), e.maxConcurrent()));
      if (best == null || better(e, score, best, bestScore)) {
        best = e;
        bestScore = score;
      }
    }
    return Optional.of(new RoutingChoice(best, new RoutingDecision(NAME, best.id(), candidates)));
  }

  private static boolean probing(EndpointState e, long nowMs) {
    return !e.latency().known(nowMs) && e.inFlight() > 0;
  }

  /** Lower score wins; on a tie, an endpoint that can start now, then the less loaded. */
  private static boolean better(EndpointState e, double score, EndpointState best, double bestScore) {
    if (score != bestScore) {
      return score < bestScore;
    }
    if (e.hasFreeSlot() != best.hasFreeSlot()) {
      return e.hasFreeSlot();
    }
    return (double) e.inFlight() / e.maxConcurrent() < (double) best.inFlight() / best.maxConcurrent();
  }

  private static List<EndpointState> sampleTwo(List<EndpointState> endpoints, RandomGenerator random) {
    int n = endpoints.size();
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    return List.of(endpoints.get(a), endpoints.get(b));
  }
}
