package io.tensorforge.domain.routing;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Picks an endpoint for one request among the endpoints of a model that take traffic. An
 * instance serves one model and may keep state between picks (a round-robin cursor).
 */
public interface RoutingStrategy {

  String name();

  /**
   * @param endpoints the model's endpoints that are up, in registration order; never empty
   * @return the choice, or empty when no endpoint can be used now or later
   */
  Optional<RoutingChoice> choose(List<EndpointState> endpoints, long nowMs, RandomGenerator random);
}
