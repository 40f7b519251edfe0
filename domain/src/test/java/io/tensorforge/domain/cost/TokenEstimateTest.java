package io.tensorforge.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenEstimateTest {

  @Test
  void inputIsCharactersOverFourRoundedUpAndAtLeastOne() {
    assertEquals(1, TokenEstimate.estimate(0, 10, 256).input());
    assertEquals(1, TokenEstimate.estimate(3, 10, 256).input());
    assertEquals(1, TokenEstimate.estimate(4, 10, 256).input());
    assertEquals(2, TokenEstimate.estimate(5, 10, 256).input());
    assertEquals(250, TokenEstimate.estimate(1_000, 10, 256).input());
    assertEquals(251, TokenEstimate.estimate(1_001, 10, 256).input());
  }

  @Test
  void outputIsMaxTokensOrTheDefault() {
    assertEquals(new TokenEstimate(250, 100), TokenEstimate.estimate(1_000, 100, 256));
    assertEquals(new TokenEstimate(250, 256), TokenEstimate.estimate(1_000, 0, 256));
    assertEquals(new TokenEstimate(250, 256), TokenEstimate.estimate(1_000, -1, 256));
    assertEquals(350, TokenEstimate.estimate(1_000, 100, 256).total());
  }

  @Test
  void rejectsNegativeInputs() {
    assertThrows(IllegalArgumentException.class, () -> TokenEstimate.estimate(-1, 10, 256));
    assertThrows(IllegalArgumentException.class, () -> TokenEstimate.estimate(1, 10, -1));
  }
}
