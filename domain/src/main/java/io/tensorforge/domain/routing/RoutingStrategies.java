package io.tensorforge.domain.routing;

import java.util.Set;

/** Makes a strategy by its configured name; each model gets its own instance. */
public final class RoutingStrategies {

  public static final Set<String> NAMES =
      Set.of(P2cLatencyStrategy.NAME, LeastOutstandingStrategy.NAME, RoundRobinStrategy.NAME);

  /** Models with at most this many endpoints have every endpoint scored by p2c-latency. */
  public static final int DEFAULT_SCORE_ALL_UP_TO = 16;

  private RoutingStrategies() {}

  public static RoutingStrategy create(String name) {
    return switch (name) {
      case P2cLatencyStrategy.NAME -> new P2cLatencyStrategy(DEFAULT_SCORE_ALL_UP_TO);
      case LeastOutstandingStrategy.NAME -> new LeastOutstandingStrategy();
      case RoundRobinStrategy.NAME -> new RoundRobinStrategy();
      default -> throw new IllegalArgumentException("unknown routing strategy '" + name + "', expected one of " + NAMES);
    };
  }
}
