package io.tensorforge.domain.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.limits.Gcra.Decision;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class GcraPropertiesTest {

  private static final long T0 = 1_700_000_000_000_000L; // µs

  /** A request arriving {@code gapMicros} after the previous one, for {@code cost} units. */
  record Step(long gapMicros, long cost) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Long> gaps = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(1, 2_000_000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, 120_000_000)));
    return Combinators.combine(gaps, Arbitraries.longs().between(0, 40))
        .as(Step::new).list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 500)
  void noWindowAdmitsMoreThanBurstPlusRateTimesWindow(
      @ForAll @LongRange(min = 1, max = 100_000) long rate,
      @ForAll @LongRange(min = 1, max = 30) long burst,
      @ForAll("steps") List<Step> steps) {
    long tat = 0;
    long now = T0;
    List<long[]> admitted = new ArrayList<>(); // {time µs, cost}
    for (Step s : steps) {
      now += s.gapMicros();
      Decision d = Gcra.decideAtMicros(tat, now, s.cost(), rate, burst);
      if (d.allowed()) {
        admitted.add(new long[] {now, s.cost()});
      }
      tat = d.newTatMicros();
    }
    for (int i = 0; i < admitted.size(); i++) {
      long units = 0;
      for (int j = i; j < admitted.size(); j++) {
        units += admitted.get(j)[1];
        long windowMicros = admitted.get(j)[0] - admitted.get(i)[0];
        // units <= burst + rate * W / 60,000,000 µs, compared exactly in integers
        assertTrue(units * Gcra.MICROS_PER_MINUTE <= burst * Gcra.MICROS_PER_MINUTE + rate * windowMicros,
            "window " + windowMicros + " µs admitted " + units + " units");
      }
    }
  }

  @Property(tries = 500)
  void retryAfterIsTheExactWaitInWholeMilliseconds(
      @ForAll @LongRange(min = 1, max = 100_000) long rate,
      @ForAll @LongRange(min = 1, max = 30) long burst,
      @ForAll @LongRange(min = 0, max = 30) long cost,
      @ForAll("steps") List<Step> history) {
    long tat = 0;
    long now = T0;
    for (Step s : history) {
      now += s.gapMicros();
      tat = Gcra.decideAtMicros(tat, now, s.cost(), rate, burst).newTatMicros();
    }
    Decision d = Gcra.decideAtMicros(tat, now, cost, rate, burst);
    if (d.allowed()) {
      assertEquals(0, d.retryAfterMs());
    } else if (cost > burst) {
      assertEquals(Gcra.NEVER, d.retryAfterMs());
    } else {
      assertTrue(d.retryAfterMs() > 0);
      long waited = now + d.retryAfterMs() * 1_000;
      assertTrue(Gcra.decideAtMicros(tat, waited, cost, rate, burst).allowed(), "admitted after retryAfter");
      long tooEarly = now + (d.retryAfterMs() - 1) * 1_000;
      assertFalse(Gcra.decideAtMicros(tat, tooEarly, cost, rate, burst).allowed(), "refused a ms before");
    }
  }

  @Property(tries = 500)
  void remainingIsExactlyWhatCanStillBeTaken(
      @ForAll @LongRange(min = 1, max = 100_000) long rate,
      @ForAll @LongRange(min = 1, max = 30) long burst,
      @ForAll("steps") List<Step> history) {
    long tat = 0;
    long now = T0;
    Decision last = null;
    for (Step s : history) {
      now += s.gapMicros();
      last = Gcra.decideAtMicros(tat, now, s.cost(), rate, burst);
      tat = last.newTatMicros();
    }
    long remaining = last.remaining();
    assertTrue(remaining >= 0 && remaining <= burst);
    if (remaining > 0) {
      assertTrue(Gcra.decideAtMicros(tat, now, remaining, rate, burst).allowed());
    }
    if (remaining < burst) {
      assertFalse(Gcra.decideAtMicros(tat, now, remaining + 1, rate, burst).allowed());
    }
  }

  @Property(tries = 300)
  void aRefundNeverGivesBackMoreThanWasTaken(
      @ForAll @LongRange(min = 1, max = 100_000) long rate,
      @ForAll @LongRange(min = 1, max = 30) long burst,
      @ForAll @LongRange(min = 0, max = 30) long cost,
      @ForAll @LongRange(min = 0, max = 10_000_000) long ahead) {
    long now = T0;
    long tat = now + ahead;
    Decision d = Gcra.decideAtMicros(tat, now, cost, rate, burst);
    if (!d.allowed()) {
      return;
    }
    long refunded = Gcra.adjustAtMicros(d.newTatMicros(), now, -cost, rate);
    assertTrue(refunded >= Math.max(tat, now), "refund gave back more than the charge");
    assertTrue(refunded - Math.max(tat, now) <= 1, "a refund loses at most 1 µs to rounding");
    if (Gcra.MICROS_PER_MINUTE % rate == 0) {
      assertEquals(Math.max(tat, now), refunded, "exact when the rate divides a minute");
    }
  }
}
