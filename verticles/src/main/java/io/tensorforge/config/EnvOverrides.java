package io.tensorforge.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Overrides configuration keys from environment variables: the key's path in upper snake case
 * behind {@code TF_}, e.g. {@code gateway.maxBodyBytes} ← {@code TF_GATEWAY_MAX_BODY_BYTES}.
 * Only keys that the configuration already has can be overridden (the default file lists them
 * all). A scalar takes the text as it is (the typed settings convert and check it); a list or
 * section takes JSON, e.g. {@code TF_SECURITY_ADMIN_KEYS='["k1","k2"]'}.
 */
public final class EnvOverrides {

  private EnvOverrides() {}

  public static void apply(JsonObject config, Map<String, String> env) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    walk(config, "", "TF", env, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** The variable that overrides a dotted key. */
  public static String variableFor(String dottedKey) {
    StringBuilder sb = new StringBuilder("TF");
    for (String segment : dottedKey.split("\\.")) {
      sb.append('_').append(segmentName(segment));
    }
    return sb.toString();
  }

  private static void walk(JsonObject obj, String path, String prefix, Map<String, String> env,
                           List<ConfigException.Problem> problems) {
    for (String key : List.copyOf(obj.fieldNames())) {
      Object value = obj.getValue(key);
      String dotted = path.isEmpty() ? key : path + "." + key;
      String variable = prefix + "_" + segmentName(key);
      String override = env.get(variable);
      if (override != null) {
        if (value instanceof JsonObject || value instanceof JsonArray) {
          try {
            obj.put(key, Json.decodeValue(override));
          } catch (DecodeException e) {
            problems.add(new ConfigException.Problem(dotted, variable + " must hold JSON for a "
                + (value instanceof JsonArray ? "list" : "section")));
          }
        } else {
          obj.put(key, override);
        }
        continue;
      }
      if (value instanceof JsonObject child) {
        walk(child, dotted, variable, env, problems);
      }
    }
  }

  private static String segmentName(String segment) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(segment.charAt(i - 1))) {
        sb.append('_');
      }
      sb.append(Character.isLetterOrDigit(c) ? c : '_');
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }
}
