package io.tensorforge.gateway;

import io.tensorforge.domain.intake.queue.Priority;

/** Reads and checks the optional TensorForge request headers. */
final class RequestHeaders {

  /** A header's value, or the reason it is not acceptable. */
  record Parsed<T>(T value, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private RequestHeaders() {}

  /** The deadline in ms from now: the header's value, or the default when absent. */
  static Parsed<Long> deadlineMs(String header, long defaultMs, long maxMs) {
    if (header == null || header.isBlank()) {
      return new Parsed<>(defaultMs, null);
    }
    try {
      long value = Long.parseLong(header.trim());
      if (value < 1 || value > maxMs) {
        return new Parsed<>(null, "X-TF-Deadline-Ms must be between 1 and " + maxMs + ", got " + value);
      }
      return new Parsed<>(value, null);
    } catch (NumberFormatException e) {
      return new Parsed<>(null, "X-TF-Deadline-Ms must be a whole number of milliseconds");
    }
  }

  /** The priority class; the key's default when absent. */
  static Parsed<Priority> priority(String header, Priority keyDefault) {
    if (header == null || header.isBlank()) {
      return new Parsed<>(keyDefault, null);
    }
    return Priority.parse(header)
        .map(p -> new Parsed<>(p, (String) null))
        .orElseGet(() -> new Parsed<>(null, "X-TF-Priority must be one of critical, standard, sheddable"));
  }
}
