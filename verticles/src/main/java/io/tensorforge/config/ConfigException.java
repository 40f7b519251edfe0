package io.tensorforge.config;

import java.util.List;

/** A configuration that cannot start the platform: names every bad key and why. */
public final class ConfigException extends RuntimeException {

  private final List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String key, String reason) {
    this(List.of(new Problem(key, reason)));
  }

  public List<Problem> problems() {
    return problems;
  }

  /** One bad key: its full dotted path (e.g. {@code fleet.endpoints[0].latency.p99Ms}) and why. */
  public record Problem(String key, String reason) {
    @Override
    public String toString() {
      return key + ": " + reason;
    }
  }

  private static String render(List<Problem> problems) {
    StringBuilder sb = new StringBuilder("invalid configuration");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
