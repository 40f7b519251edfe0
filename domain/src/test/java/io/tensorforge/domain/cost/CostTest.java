package io.tensorforge.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CostTest {

  private static void assertUsd(String expected, BigDecimal actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual.toPlainString());
  }

  @Test
  void workedExamplesToTheLastDigit() {
    assertUsd("0.0105", Cost.of(Price.of("3.00", "15.00"), 1_000, 500));
    assertUsd("0.00000015", Cost.of(Price.of("0.15", "0.60"), 1, 0));
    assertUsd("120000", Cost.of(Price.of("60", "60"), 2_000_000_000L, 0));
    assertUsd("120000", Cost.of(Price.of("60", "60"), 1_000_000_000L, 1_000_000_000L));
    assertUsd("0.0000006", Cost.of(Price.of("0.15", "0.60"), 0, 1));
    assertUsd("0", Cost.of(Price.of("0", "0"), 5_000, 5_000));
    // a price with many decimals keeps all of them
    assertUsd("0.000000000123", Cost.of(Price.of("0.000123", "0"), 1, 0));
    assertEquals("0.01050000", Cost.of(Price.of("3.00", "15.00"), 1_000, 500).toPlainString(),
        "scale is the price's scale plus 6; nothing is rounded away");
  }

  @Test
  void sumsOfManySmallCostsAreExact() {
    BigDecimal one = Cost.of(Price.of("0.15", "0.60"), 1, 0);
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 1_000_000; i++) {
      sum = sum.add(one);
    }
    assertUsd("0.15", sum);
  }

  @Test
  void rejectsNegativeTokensAndPrices() {
    assertThrows(IllegalArgumentException.class, () -> Cost.of(Price.of("1", "1"), -1, 0));
    assertThrows(IllegalArgumentException.class, () -> Cost.of(Price.of("1", "1"), 0, -1));
    assertThrows(IllegalArgumentException.class, () -> Price.of("-0.01", "1"));
    assertThrows(IllegalArgumentException.class, () -> Price.of("1", "-1"));
  }

  @Test
  void picoUsdRoundTripsExactly() {
    assertEquals(150_000L, Cost.toPicoUsd(new BigDecimal("0.00000015")));
    assertEquals(10_500_000_000L, Cost.toPicoUsd(new BigDecimal("0.0105")));
    assertEquals(120_000_000_000_000_000L, Cost.toPicoUsd(new BigDecimal("120000")));
    assertEquals(1L, Cost.toPicoUsd(new BigDecimal("0.000000000001")));
    assertEquals(1L, Cost.toPicoUsd(new BigDecimal("0.000000000001000000")), "trailing zeros are fine");
    assertEquals(-5L, Cost.toPicoUsd(new BigDecimal("-0.000000000005")));
    assertUsd("0.0105", Cost.fromPicoUsd(10_500_000_000L));
    assertEquals(12, Cost.fromPicoUsd(1).scale());
  }

  @Test
  void picoUsdRefusesLostPrecisionAndOverflow() {
    assertThrows(ArithmeticException.class, () -> Cost.toPicoUsd(new BigDecimal("0.0000000000001")));
    assertThrows(ArithmeticException.class, () -> Cost.toPicoUsd(new BigDecimal("9223372.036854775808")));
    assertEquals(Long.MAX_VALUE, Cost.toPicoUsd(new BigDecimal("9223372.036854775807")));
  }

  @Property(tries = 500)
  void picoUsdRoundTripIsTheIdentity(@ForAll long pico) {
    assertEquals(pico, Cost.toPicoUsd(Cost.fromPicoUsd(pico)));
  }

  @Property(tries = 500)
  void costIsAdditiveInTokens(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long in1,
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long in2,
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long out,
      @ForAll @LongRange(min = 0, max = 100_000_000L) long priceCents,
      @ForAll @IntRange(min = 0, max = 8) int priceScale) {
    Price p = new Price(BigDecimal.valueOf(priceCents, priceScale), BigDecimal.valueOf(priceCents + 1, priceScale));
    BigDecimal whole = Cost.of(p, in1 + in2, out);
    BigDecimal parts = Cost.of(p, in1, out).add(Cost.of(p, in2, 0));
    assertEquals(0, whole.compareTo(parts));
  }
}
