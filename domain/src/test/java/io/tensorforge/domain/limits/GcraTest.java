package io.tensorforge.domain.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensorforge.domain.limits.Gcra.Decision;
import org.junit.jupiter.api.Test;

class GcraTest {

  private static final long T0 = 1_700_000_000_000L; // ms

  /** A limit and its stored TAT, driven by a clock the test moves. */
  private static final class Limit {
    final long rate;
    final long burst;
    long tat;

    Limit(long rate, long burst) {
      this.rate = rate;
      this.burst = burst;
    }

    Decision take(long nowMs, long cost) {
      Decision d = Gcra.decide(tat, nowMs, cost, rate, burst);
      tat = d.newTatMicros();
      return d;
    }
  }

  @Test
  void sixtyAMinuteBurstTenAdmitsTenAtOnceThenOneASecond() {
    Limit limit = new Limit(60, 10);
    for (int i = 1; i <= 10; i++) {
      Decision d = limit.take(T0, 1);
      assertTrue(d.allowed(), "request " + i);
      assertEquals(0, d.retryAfterMs());
      assertEquals(10 - i, d.remaining());
    }
    Decision eleventh = limit.take(T0, 1);
    assertFalse(eleventh.allowed());
    assertEquals(1_000, eleventh.retryAfterMs());
    assertEquals(0, eleventh.remaining());
    assertEquals((T0 + 10_000) * 1_000, eleventh.newTatMicros(), "a refusal leaves the TAT as it was");

    Decision early = limit.take(T0 + 999, 1);
    assertFalse(early.allowed());
    assertEquals(1, early.retryAfterMs());

    Decision afterOneSecond = limit.take(T0 + 1_000, 1);
    assertTrue(afterOneSecond.allowed());
    assertEquals(0, afterOneSecond.remaining());
    Decision next = limit.take(T0 + 1_000, 1);
    assertFalse(next.allowed());
    assertEquals(1_000, next.retryAfterMs());
  }

  @Test
  void refillsToTheBurstAndNoFurther() {
    Limit limit = new Limit(60, 10);
    assertTrue(limit.take(T0, 10).allowed());
    assertEquals(5, limit.take(T0 + 5_000, 0).remaining(), "five seconds give back five units");
    assertEquals(10, limit.take(T0 + 10_000, 0).remaining());
    assertEquals(10, limit.take(T0 + 3_600_000, 0).remaining(), "an idle hour gives back only the burst");
    assertTrue(limit.take(T0 + 3_600_000, 10).allowed());
    assertFalse(limit.take(T0 + 3_600_000, 1).allowed());
  }

  @Test
  void tokenCostsWaitForTheirWholeCost() {
    // 6,000 tokens a minute = 100 a second, burst 1,000
    Limit limit = new Limit(6_000, 1_000);
    assertTrue(limit.take(T0, 800).allowed());
    Decision big = limit.take(T0, 700);
    assertFalse(big.allowed());
    assertEquals(5_000, big.retryAfterMs(), "500 missing tokens at 100 a second");
    assertEquals(200, big.remaining());
    assertTrue(limit.take(T0, 200).allowed());
    assertTrue(limit.take(T0 + 7_000, 700).allowed());
  }

  @Test
  void aCostAboveTheBurstIsNeverAllowed() {
    Decision d = Gcra.decide(0, T0, 11, 60, 10);
    assertFalse(d.allowed());
    assertEquals(Gcra.NEVER, d.retryAfterMs());
    assertEquals(10, d.remaining());
    assertTrue(Gcra.decide(0, T0, 10, 60, 10).allowed(), "the whole burst at once is fine");
  }

  @Test
  void ratesThatDoNotDivideAMinuteStayExact() {
    // 7 a minute: one unit every 8,571,428.57 µs; the TAT rounds up to whole µs
    Limit limit = new Limit(7, 1);
    assertTrue(limit.take(T0, 1).allowed());
    Decision refused = limit.take(T0, 1);
    assertEquals(8_572, refused.retryAfterMs());
    assertEquals((T0 * 1_000) + 8_571_429, limit.tat);
    assertFalse(limit.take(T0 + 8_571, 1).allowed());
    assertTrue(limit.take(T0 + 8_572, 1).allowed());
    // exactly 7 admitted over a minute of steady asking, once the burst is spent
    Limit steady = new Limit(7, 1);
    int admitted = 0;
    for (long t = 0; t < 60_000; t++) {
      if (steady.take(T0 + t, 1).allowed()) {
        admitted++;
      }
    }
    assertEquals(7, admitted);
  }

  @Test
  void adjustChargesAndRefunds() {
    long now = T0 * 1_000;
    long tat = Gcra.decideAtMicros(0, now, 10, 60, 10).newTatMicros();
    assertEquals(now + 10_000_000, tat);
    long refunded = Gcra.adjustAtMicros(tat, now, -4, 60);
    assertEquals(now + 6_000_000, refunded);
    assertEquals(4, Gcra.decideAtMicros(refunded, now, 0, 60, 10).remaining());
    assertEquals(now, Gcra.adjustAtMicros(tat, now, -1_000, 60), "a refund never goes below an empty limit");
    long charged = Gcra.adjustAtMicros(tat, now, 5, 60);
    assertEquals(now + 15_000_000, charged, "a charge is never refused, even past the burst");
    Decision after = Gcra.decideAtMicros(charged, now, 1, 60, 10);
    assertFalse(after.allowed());
    assertEquals(6_000, after.retryAfterMs());
    assertEquals(now + 3_000_000, Gcra.adjustAtMicros(0, now, 3, 60), "a charge on no state starts at now");
  }

  @Test
  void refundsRoundDownAndChargesRoundUp() {
    long now = T0 * 1_000;
    // 7 a minute: 1 unit = 8,571,428.57 µs
    assertEquals(now + 8_571_429, Gcra.adjustAtMicros(now, now, 1, 7));
    assertEquals(now + 8_571_429 - 8_571_428, Gcra.adjustAtMicros(now + 8_571_429, now, -1, 7));
  }

  @Test
  void rejectsLimitsOutOfBounds() {
    assertThrows(IllegalArgumentException.class, () -> Gcra.decide(0, T0, 1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> Gcra.decide(0, T0, 1, 60, 0));
    assertThrows(IllegalArgumentException.class, () -> Gcra.decide(0, T0, -1, 60, 10));
    assertThrows(IllegalArgumentException.class, () -> Gcra.decide(0, T0, 1, Gcra.MAX_RATE_PER_MINUTE + 1, 10));
    assertThrows(IllegalArgumentException.class, () -> Gcra.decide(0, T0, 1, 60, Gcra.MAX_UNITS + 1));
    assertThrows(IllegalArgumentException.class, () -> Gcra.adjustAtMicros(0, T0, Gcra.MAX_UNITS + 1, 60));
  }

  @Test
  void theLargestLimitsStayBelowTwoToTheFiftyThird() {
    long now = T0 * 1_000;
    Decision d = Gcra.decideAtMicros(0, now, Gcra.MAX_UNITS, 1, Gcra.MAX_UNITS);
    assertTrue(d.allowed());
    assertTrue(d.newTatMicros() < (1L << 53));
    long debt = Gcra.adjustAtMicros(d.newTatMicros(), now, Gcra.MAX_UNITS, 1);
    assertEquals(now + Gcra.MAX_DEBT_MICROS, debt, "the debt is capped");
  }
}
