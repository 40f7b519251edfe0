package io.tensorforge.bus;

/** Milliseconds on this node's monotonic clock: for deadlines and latencies, never for dates. */
public final class MonotonicClock {

  private MonotonicClock() {}

  public static long nowMs() {
    return System.nanoTime() / 1_000_000L;
  }
}
