package io.tensorforge.domain.limits;

/**
 * The generic cell rate algorithm (GCRA): a limit of {@code ratePerMinute} units a minute that
 * lets up to {@code burst} units through at once. Its whole state is one number per limit, the
 * theoretical arrival time (TAT): the instant at which the limit would be back to full burst.
 *
 * <h2>Units</h2>
 * <ul>
 *   <li>The TAT is in <b>microseconds</b> on the caller's clock ({@code 0} when there is no state).
 *       Milliseconds cannot hold the TAT exactly: at 7 units a minute one unit lasts
 *       8571.428… ms, and at high rates (100,000 a minute, 0.6 ms a unit) rounding every
 *       decision to a millisecond would take capacity away. Microseconds also match Redis
 *       {@code TIME} and stay exact in a Lua number (a double, exact below 2^53).</li>
 *   <li>{@code nowMs} in {@link #decide} is in milliseconds; {@link #decideAtMicros} takes
 *       microseconds. {@code retryAfterMs} is in milliseconds, rounded up, so a caller that
 *       waits exactly that long is admitted (if nothing else took the capacity meanwhile).</li>
 * </ul>
 *
 * <h2>Arithmetic</h2>
 * One unit lasts {@code 60,000,000 / ratePerMinute} µs. The admission test is done exactly in
 * integers: a request of {@code cost} units is allowed when
 * {@code max(tat, now) - now <= floor((burst - cost) * 60,000,000 / ratePerMinute)}, which for an
 * integer left-hand side is the same as the rational inequality of the textbook GCRA. When
 * allowed, the TAT moves forward by {@code ceil(cost * 60,000,000 / ratePerMinute)} µs, rounded up,
 * so that over any window of {@code W} ms at most {@code burst + ratePerMinute * W / 60,000} units
 * are ever admitted (the rounding only ever errs on the side of refusing, by under 1 µs a
 * decision; it is exactly zero whenever {@code ratePerMinute} divides 60,000,000).
 *
 * <h2>Never</h2>
 * A cost larger than the burst can never be admitted: such a decision is refused with
 * {@code retryAfterMs == }{@link #NEVER} ({@code -1}).
 *
 * <h2>Bounds</h2>
 * {@code ratePerMinute} is 1..{@link #MAX_RATE_PER_MINUTE}, {@code burst} 1..{@link #MAX_UNITS},
 * a cost 0..{@link #MAX_UNITS} (an adjustment -MAX_UNITS..MAX_UNITS). With these bounds every
 * intermediate value stays below 2^53, so the Redis Lua version of this algorithm computes the
 * very same numbers. A debt built up by adjustments is capped at {@link #MAX_DEBT_MICROS}.
 *
 * <p>Pure: no clock, no state, no I/O. The same inputs always give the same decision.
 */
public final class Gcra {

  /** {@code retryAfterMs} of a request that can never be admitted (its cost exceeds the burst). */
  public static final long NEVER = -1;
  public static final long MICROS_PER_MINUTE = 60_000_000L;
  /** Largest burst, cost or adjustment, in units. */
  public static final long MAX_UNITS = 100_000_000L;
  /** Largest rate: one unit a microsecond. */
  public static final long MAX_RATE_PER_MINUTE = MICROS_PER_MINUTE;
  /** How far ahead of now the TAT may ever be (MAX_UNITS at 1 a minute, about 190 years). */
  public static final long MAX_DEBT_MICROS = MAX_UNITS * MICROS_PER_MINUTE;

  /**
   * One decision.
   *
   * @param allowed whether the units were taken
   * @param newTatMicros the TAT to store (unchanged from the input when refused, except that a
   *     TAT in the past reads as {@code now})
   * @param retryAfterMs 0 when allowed; when refused, the ms to wait before the same cost could be
   *     admitted, or {@link #NEVER}
   * @param remaining how many units could still be taken right now, after this decision
   */
  public record Decision(boolean allowed, long newTatMicros, long retryAfterMs, long remaining) {}

  private Gcra() {}

  /** Decides on {@code cost} units at {@code nowMs} (ms) given the stored TAT (µs, 0 if none). */
  public static Decision decide(long tatMicros, long nowMs, long cost, long ratePerMinute, long burst) {
    return decideAtMicros(tatMicros, Math.multiplyExact(nowMs, 1_000L), cost, ratePerMinute, burst);
  }

  /** As {@link #decide}, with the current time in microseconds. */
  public static Decision decideAtMicros(long tatMicros, long nowMicros, long cost, long ratePerMinute, long burst) {
    checkLimit(ratePerMinute, burst);
    if (cost < 0 || cost > MAX_UNITS) {
      throw new IllegalArgumentException("cost must be 0.." + MAX_UNITS + ": " + cost);
    }
    long tat = Math.max(tatMicros, nowMicros);
    long debt = tat - nowMicros;
    if (cost > burst) {
      return new Decision(false, tat, NEVER, remaining(debt, ratePerMinute, burst));
    }
    long allowance = ((burst - cost) * MICROS_PER_MINUTE) / ratePerMinute;
    if (debt <= allowance) {
      long newTat = tat + span(cost, ratePerMinute);
      return new Decision(true, newTat, 0, remaining(newTat - nowMicros, ratePerMinute, burst));
    }
    long waitMicros = debt - allowance;
    return new Decision(false, tat, ceilDiv(waitMicros, 1_000L), remaining(debt, ratePerMinute, burst));
  }

  /**
   * Settles an estimate with real usage: a positive {@code deltaCost} charges more units (never
   * refused; the TAT may move beyond the burst, so later requests wait), a negative one gives
   * units back (rounded down, so a refund never gives more than was charged; the TAT never goes
   * below now, so a limit never holds more than its burst). Returns the new TAT (µs).
   */
  public static long adjustAtMicros(long tatMicros, long nowMicros, long deltaCost, long ratePerMinute) {
    checkRate(ratePerMinute);
    if (deltaCost < -MAX_UNITS || deltaCost > MAX_UNITS) {
      throw new IllegalArgumentException("deltaCost must be -" + MAX_UNITS + ".." + MAX_UNITS + ": " + deltaCost);
    }
    long tat = Math.max(tatMicros, nowMicros);
    if (deltaCost >= 0) {
      return Math.min(tat + span(deltaCost, ratePerMinute), nowMicros + MAX_DEBT_MICROS);
    }
    long refund = (-deltaCost * MICROS_PER_MINUTE) / ratePerMinute;
    return Math.max(tat - refund, nowMicros);
  }

  /** Validates a limit; throws {@link IllegalArgumentException} naming the bad value. */
  public static void checkLimit(long ratePerMinute, long burst) {
    checkRate(ratePerMinute);
    if (burst < 1 || burst > MAX_UNITS) {
      throw new IllegalArgumentException("burst must be 1.." + MAX_UNITS + ": " + burst);
    }
  }

  private static void checkRate(long ratePerMinute) {
    if (ratePerMinute < 1 || ratePerMinute > MAX_RATE_PER_MINUTE) {
      throw new IllegalArgumentException("ratePerMinute must be 1.." + MAX_RATE_PER_MINUTE + ": " + ratePerMinute);
    }
  }

  /** µs that {@code units} units occupy, rounded up. */
  private static long span(long units, long ratePerMinute) {
    return ceilDiv(units * MICROS_PER_MINUTE, ratePerMinute);
  }

  /** Units that fit under the burst when the TAT is {@code debt} µs ahead of now. */
  private static long remaining(long debt, long ratePerMinute, long burst) {
    if (debt > (burst * MICROS_PER_MINUTE) / ratePerMinute) {
      return 0; // also keeps debt * ratePerMinute below burst * 60,000,000 <= 2^53
    }
    return burst - ceilDiv(debt * ratePerMinute, MICROS_PER_MINUTE);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
