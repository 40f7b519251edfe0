package io.tensorforge.domain.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Exact money arithmetic for token usage. No {@code double} and no rounding anywhere: a cost is
 * {@code (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1,000,000}, the
 * division done by moving the decimal point, so its scale is the price's scale plus 6.
 *
 * <p>Stores that keep money as integers (Redis) use pico-USD (10^-12 USD) in a {@code long}:
 * exact for amounts with at most 12 decimal places, up to about 9.22 million USD.
 */
public final class Cost {

  /** Pico-USD in one USD. */
  public static final int PICO_SCALE = 12;

  private Cost() {}

  /** The exact cost in USD of the given tokens at the given price. Token counts must be >= 0. */
  public static BigDecimal of(Price price, long inputTokens, long outputTokens) {
    Objects.requireNonNull(price, "price");
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0: " + inputTokens + ", " + outputTokens);
    }
    BigDecimal in = price.inputPerMillion().multiply(BigDecimal.valueOf(inputTokens));
    BigDecimal out = price.outputPerMillion().multiply(BigDecimal.valueOf(outputTokens));
    return in.add(out).movePointLeft(6);
  }

  /**
   * USD to integer pico-USD, exactly.
   *
   * @throws ArithmeticException if {@code usd} has a non-zero digit beyond the 12th decimal place
   *     or does not fit in a {@code long}
   */
  public static long toPicoUsd(BigDecimal usd) {
    Objects.requireNonNull(usd, "usd");
    return usd.movePointRight(PICO_SCALE).longValueExact();
  }

  /** Integer pico-USD to USD, exactly (scale 12). */
  public static BigDecimal fromPicoUsd(long picoUsd) {
    return BigDecimal.valueOf(picoUsd, PICO_SCALE);
  }
}
