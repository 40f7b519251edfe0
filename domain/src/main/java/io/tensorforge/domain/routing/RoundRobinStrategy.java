package io.tensorforge.domain.routing;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Each endpoint in turn, skipping those with no free slot. The baseline the other strategies
 * are measured against; on endpoints of different speeds it sends the slow ones as much as
 * the fast ones.
 */
public final class RoundRobinStrategy implements RoutingStrategy {

  public static final String NAME = "round-robin";

  private int cursor;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<RoutingChoice> choose(List<EndpointState> endpoints, long nowMs, RandomGenerator random) {
    int n = endpoints.size();
    if (n == 0) {
      return Optional.empty();
    }
    int start = Math.floorMod(cursor, n);
    EndpointState chosen = endpoints.get(start);
    for (int i = 0; i < n; i++) {
      EndpointState e = endpoints.get((start + i) % n);
      if (e.hasFreeSlot()) {
        chosen = e;
        cursor = start + i + 1;
        break;
      }
    }
    Candidate only = new Candidate(chosen.id(), 0, chosen.inFlight(), chosen.maxConcurrent());
    return Optional.of(new RoutingChoice(chosen, new RoutingDecision(NAME, chosen.id(), List.of(only))));
  }
}
