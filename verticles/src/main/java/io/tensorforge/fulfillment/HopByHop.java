package io.tensorforge.fulfillment;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Headers that belong to one connection and are never forwarded (RFC 9110 §7.6.1). */
final class HopByHop {

  private static final Set<String> NAMES = Set.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade");

  private HopByHop() {}

  /** Copies end-to-end headers from one map to another, dropping those named in Connection too. */
  static void copy(MultiMap from, MultiMap to, Set<String> alsoDrop) {
    String connection = from.get("connection");
    Set<String> named = connection == null ? Set.of()
        : new HashSet<>(Arrays.asList(connection.toLowerCase(Locale.ROOT).split("\\s*,\\s*")));
    for (var e : from) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!NAMES.contains(name) && !named.contains(name) && !alsoDrop.contains(name)) {
        to.add(e.getKey(), e.getValue());
      }
    }
  }
}
