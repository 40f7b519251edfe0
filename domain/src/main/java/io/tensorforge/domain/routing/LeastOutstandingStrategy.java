package io.tensorforge.domain.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The endpoint with the lowest share of its slots in use; ties go to the first registered.
 * Blind to speed: a fast and a slow endpoint at the same load look the same.
 */
public final class LeastOutstandingStrategy implements RoutingStrategy {

  public static final String NAME = "least-outstanding";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<RoutingChoice> choose(List<EndpointState> endpoints, long nowMs, RandomGenerator random) {
    List<Candidate> candidates = new ArrayList<>(endpoints.size());
    EndpointState best = null;
    double bestScore = Double.MAX_VALUE;
    for (EndpointState e : endpoints) {
      double score = (double) e.inFlight() / e.maxConcurrent();
      candidates.add(new Candidate(e.id(), score, e.inFlight(), e.maxConcurrent()));
      if (score < bestScore) {
        best = e;
        bestScore = score;
      }
    }
    return best == null
        ? Optional.empty()
        : Optional.of(new RoutingChoice(best, new RoutingDecision(NAME, best.id(), candidates)));
  }
}
