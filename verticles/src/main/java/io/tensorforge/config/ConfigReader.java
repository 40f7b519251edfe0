package io.tensorforge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of one section of the configuration and collects every problem with
 * the full key that caused it, so one start reports all bad keys at once.
 *
 * <pre>{@code
 * ConfigReader r = ConfigReader.root(json);
 * int port = r.section("gateway").intIn("port", 8080, 0, 65535);
 * r.throwIfInvalid();
 * }</pre>
 */
public final class ConfigReader {

  private final JsonObject json;
  private final String path;
  private final List<ConfigException.Problem> problems;

  private ConfigReader(JsonObject json, String path, List<ConfigException.Problem> problems) {
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
    this.problems = problems;
  }

  public static ConfigReader root(JsonObject json) {
    return new ConfigReader(json, "", new ArrayList<>());
  }

  /** The full dotted key of a child of this section. */
  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public JsonObject json() {
    return json;
  }

  public boolean has(String name) {
    return json.containsKey(name) && json.getValue(name) != null;
  }

  /** A nested section; a missing section reads as empty (every key takes its default). */
  public ConfigReader section(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return new ConfigReader(new JsonObject(), key(name), problems);
    }
    if (!(v instanceof JsonObject obj)) {
      problem(name, "must be a section (a map of keys), got " + describe(v));
      return new ConfigReader(new JsonObject(), key(name), problems);
    }
    return new ConfigReader(obj, key(name), problems);
  }

  /** The sections of a list, each reading with its index in the key ({@code endpoints[2].id}). */
  public List<ConfigReader> sections(String name) {
    Object v = json.getValue(name);
    List<ConfigReader> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray arr)) {
      problem(name, "must be a list, got " + describe(v));
      return out;
    }
    for (int i = 0; i < arr.size(); i++) {
      Object item = arr.getValue(i);
      String itemKey = key(name) + "[" + i + "]";
      if (item instanceof JsonObject obj) {
        out.add(new ConfigReader(obj, itemKey, problems));
      } else {
        problems.add(new ConfigException.Problem(itemKey, "must be a section, got " + describe(item)));
      }
    }
    return out;
  }

  public List<String> strings(String name, List<String> fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof JsonArray arr)) {
      problem(name, "must be a list of strings, got " + describe(v));
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      Object item = arr.getValue(i);
      if (!(item instanceof String s) || s.isBlank()) {
        problems.add(new ConfigException.Problem(key(name) + "[" + i + "]", "must be a non-empty string, got " + describe(item)));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  public String string(String name, String fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    problem(name, "must be a string, got " + describe(v));
    return fallback;
  }

  /** A string that must be present and not blank. */
  public String requiredString(String name) {
    String s = string(name, null);
    if (s == null || s.isBlank()) {
      if (s == null && !has(name)) {
        problem(name, "is required");
      } else if (s != null) {
        problem(name, "must not be empty");
      }
      return "";
    }
    return s;
  }

  public String oneOf(String name, String fallback, Set<String> allowed) {
    String s = string(name, fallback);
    if (s != null && !allowed.contains(s)) {
      problem(name, "must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + s + "'");
      return fallback;
    }
    return s;
  }

  /**
   * An exact non-negative decimal (money): a string such as {@code "0.15"} keeps every digit; a
   * YAML number is read from its shortest text form.
   */
  public java.math.BigDecimal decimal(String name, java.math.BigDecimal fallback) {
    Object v = json.getValue(name);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return fallback;
    }
    if (!(v instanceof String) && !(v instanceof Number)) {
      problem(name, "must be a decimal number such as \"0.15\", got " + describe(v));
      return fallback;
    }
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(String.valueOf(v).trim());
      if (d.signum() < 0) {
        problem(name, "must not be negative, got " + v);
        return fallback;
      }
      return d;
    } catch (NumberFormatException e) {
      problem(name, "must be a decimal number such as \"0.15\", got " + describe(v));
      return fallback;
    }
  }

  public boolean bool(String name, boolean fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    problem(name, "must be true or false, got " + describe(v));
    return fallback;
  }

  public int intIn(String name, int fallback, int min, int max) {
    long value = longIn(name, fallback, min, max);
    return (int) value;
  }

  public long longIn(String name, long fallback, long min, long max) {
    return number(name, fallback, v -> {
      if (v.doubleValue() != Math.rint(v.doubleValue())) {
        return null;
      }
      return v.longValue();
    }, "a whole number", min, max);
  }

  public double doubleIn(String name, double fallback, double min, double max) {
    return number(name, fallback, Number::doubleValue, "a number", min, max);
  }

  private <T extends Number & Comparable<T>> T number(
      String name, T fallback, Function<Number, T> convert, String what, double min, double max) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    Number n = null;
    if (v instanceof Number num) {
      n = num;
    } else if (v instanceof String s) {
      try {
        n = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        n = null;
      }
    }
    T converted = n == null ? null : convert.apply(n);
    if (converted == null) {
      problem(name, "must be " + what + ", got " + describe(v));
      return fallback;
    }
    double d = converted.doubleValue();
    if (d < min || d > max) {
      problem(name, "must be between " + fmt(min) + " and " + fmt(max) + ", got " + fmt(d));
      return fallback;
    }
    return converted;
  }

  /**
   * Reports every key of this section that is not one of {@code known}: a typo must not be
   * silently ignored. Returns this reader.
   */
  public ConfigReader knownKeys(String... known) {
    Set<String> allowed = Set.of(known);
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        problem(name, "is not a known key (known: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
    return this;
  }

  /** Records a problem with a child key of this section. */
  public void problem(String name, String reason) {
    problems.add(new ConfigException.Problem(key(name), reason));
  }

  /** Records a problem with this section as a whole. */
  public void problemHere(String reason) {
    problems.add(new ConfigException.Problem(path.isEmpty() ? "(root)" : path, reason));
  }

  /** How many problems all readers sharing this one's list have recorded so far. */
  public int problemCount() {
    return problems.size();
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** The problems as one line each ("key: why"), for an error message. */
  public String describeProblems() {
    return String.join("; ", problems.stream().map(ConfigException.Problem::toString).toList());
  }

  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof JsonObject) {
      return "a section";
    }
    if (v instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
