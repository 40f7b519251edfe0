package io.tensorforge.domain.intake.queue;

import java.util.Locale;
import java.util.Optional;

/**
 * The class of a waiting request, from highest to lowest. A higher class is always served
 * before a lower one, and only a lower class is ever shed to make room for a higher one.
 * The wire form is the value of the {@code X-TF-Priority} header.
 */
public enum Priority {
  CRITICAL("critical"),
  STANDARD("standard"),
  SHEDDABLE("sheddable");

  private final String wireName;

  Priority(String wireName) {
    this.wireName = wireName;
  }

  /** The class named by a header value, ignoring case and surrounding blanks; empty if unknown. */
  public static Optional<Priority> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String name = value.strip().toLowerCase(Locale.ROOT);
    for (Priority p : values()) {
      if (p.wireName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The lower-case name used in headers, JSON and events. */
  public String wireName() {
    return wireName;
  }

  /** True if this class is served strictly before {@code other} (CRITICAL is the highest). */
  public boolean above(Priority other) {
    return ordinal() < other.ordinal();
  }
}
