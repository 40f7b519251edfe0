package io.tensorforge.domain.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimTextTest {

  @Test
  void wordsHasTheRequestedCountAndIsSeeded() {
    String a = SimText.words(16, new SplittableRandom(3));
    String b = SimText.words(16, new SplittableRandom(3));
    assertEquals(a, b);
    assertEquals(16, a.split(" ").length);
    assertEquals("", SimText.words(0, new SplittableRandom(3)));
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() {
    float[] a = SimText.embedding("hello", 8);
    assertArrayEquals(a, SimText.embedding("hello", 8));
    assertFalse(java.util.Arrays.equals(a, SimText.embedding("world", 8)));
    double norm = 0;
    for (float f : a) {
      norm += f * f;
    }
    assertEquals(1.0, norm, 1e-5);
  }
}
