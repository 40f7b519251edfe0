package io.tensorforge.domain.routing;

/**
 * The outcome of a strategy: the best endpoint and the decision record. The endpoint may have
 * no free slot (a busy fast endpoint can beat an idle slow one); the caller then waits for it.
 */
public record RoutingChoice(EndpointState endpoint, RoutingDecision decision) {

  public boolean canStartNow() {
    return endpoint.hasFreeSlot();
  }
}
