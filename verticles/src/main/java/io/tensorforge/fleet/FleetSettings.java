package io.tensorforge.fleet;

import io.tensorforge.config.ConfigReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated model fleet: the {@code fleet} section of the configuration.
 *
 * @param enabled whether the launcher starts the fleet (default false)
 * @param host the interface every endpoint binds unless it names its own (default 127.0.0.1)
 * @param endpoints the simulated endpoints, ids unique
 */
public record FleetSettings(boolean enabled, String host, List<SimEndpointSettings> endpoints) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  static final Set<String> KEYS = Set.of("enabled", "host", "endpoints");

  public FleetSettings {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * Reads the {@code fleet} section. Every bad key is reported to {@code fleetSection} with its
   * full name (e.g. {@code fleet.endpoints[1].latency.p99Ms}); the caller calls
   * {@code throwIfInvalid()}.
   */
  public static FleetSettings from(ConfigReader fleetSection) {
    for (String name : fleetSection.json().fieldNames()) {
      if (!KEYS.contains(name)) {
        fleetSection.problem(name, "is not a known key (known: " + new java.util.TreeSet<>(KEYS) + ")");
      }
    }
    boolean enabled = fleetSection.bool("enabled", false);
    String host = fleetSection.string("host", DEFAULT_HOST);
    if (host == null || host.isBlank()) {
      fleetSection.problem("host", "must not be empty");
      host = DEFAULT_HOST;
    }
    List<ConfigReader> sections = fleetSection.sections("endpoints");
    List<SimEndpointSettings> endpoints = new ArrayList<>(sections.size());
    Map<String, String> firstKey = new HashMap<>();
    for (ConfigReader section : sections) {
      SimEndpointSettings endpoint = SimEndpointSettings.from(section, host);
      if (!endpoint.id().isEmpty()) {
        String previous = firstKey.putIfAbsent(endpoint.id(), section.key("id"));
        if (previous != null) {
          section.problem("id", "duplicate id '" + endpoint.id() + "' (also " + previous + ")");
        }
      }
      endpoints.add(endpoint);
    }
    return new FleetSettings(enabled, host, endpoints);
  }

  /** The endpoints the launcher should register with routing. */
  public List<SimEndpointSettings> registered() {
    return endpoints.stream().filter(SimEndpointSettings::register).toList();
  }
}
