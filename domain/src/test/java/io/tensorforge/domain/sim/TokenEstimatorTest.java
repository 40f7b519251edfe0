package io.tensorforge.domain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  @Test
  void aboutFourCharactersPerTokenRoundedUpAndAtLeastOne() {
    assertEquals(1, TokenEstimator.estimate(""));
    assertEquals(1, TokenEstimator.estimate((CharSequence) null));
    assertEquals(1, TokenEstimator.estimate("abc"));
    assertEquals(1, TokenEstimator.estimate("abcd"));
    assertEquals(2, TokenEstimator.estimate("abcde"));
    assertEquals(3, TokenEstimator.estimate(12));
    assertEquals(250, TokenEstimator.estimate("x".repeat(1000)));
  }

  @Test
  void rejectsNegativeLengths() {
    assertThrows(IllegalArgumentException.class, () -> TokenEstimator.estimate(-1));
  }
}
