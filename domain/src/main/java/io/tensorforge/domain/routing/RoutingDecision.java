package io.tensorforge.domain.routing;

import java.util.List;

/**
 * Why a request went where it went: the strategy, the chosen endpoint and every candidate it
 * weighed with its score. Recorded so a decision can be explained and replayed.
 */
public record RoutingDecision(String strategy, String chosen, List<Candidate> candidates) {

  public RoutingDecision {
    candidates = List.copyOf(candidates);
  }
}
