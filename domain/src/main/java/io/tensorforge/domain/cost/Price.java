package io.tensorforge.domain.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model charges, in USD per million tokens, for input (prompt) and output (completion)
 * tokens. Both are exact decimals, zero or more.
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

  public Price {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    if (inputPerMillion.signum() < 0) {
      throw new IllegalArgumentException("inputPerMillion must be >= 0: " + inputPerMillion);
    }
    if (outputPerMillion.signum() < 0) {
      throw new IllegalArgumentException("outputPerMillion must be >= 0: " + outputPerMillion);
    }
  }

  /** A price from decimal strings, e.g. {@code Price.of("3.00", "15.00")}. */
  public static Price of(String inputPerMillion, String outputPerMillion) {
    return new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
  }
}
