package io.tensorforge.domain.sim;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Made-up output of a simulated model: words for completions, vectors for embeddings. */
public final class SimText {

  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "ze", "qua", "pel", "dor", "fin", "gar", "hu", "jo"
  };

  private SimText() {}

  /** One made-up word of one to three syllables, drawn from {@code random}. */
  public static String word(RandomGenerator random) {
    int syllables = 1 + random.nextInt(3);
    StringBuilder sb = new StringBuilder(syllables * 3);
    for (int i = 0; i < syllables; i++) {
      sb.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return sb.toString();
  }

  /** {@code count} made-up words separated by single spaces. */
  public static String words(int count, RandomGenerator random) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    StringBuilder sb = new StringBuilder(count * 6);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(word(random));
    }
    return sb.toString();
  }

  /**
   * A unit-length vector of {@code dims} floats that depends only on {@code input}: the same text
   * always gets the same embedding.
   */
  public static float[] embedding(String input, int dims) {
    if (dims < 1) {
      throw new IllegalArgumentException("dims must be >= 1, got " + dims);
    }
    SplittableRandom random = new SplittableRandom(input == null ? 0 : input.hashCode() * 0x9E3779B97F4A7C15L);
    float[] v = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      double x = random.nextDouble(-1.0, 1.0);
      v[i] = (float) x;
      norm += x * x;
    }
    double scale = norm == 0 ? 0 : 1.0 / Math.sqrt(norm);
    for (int i = 0; i < dims; i++) {
      v[i] = (float) (v[i] * scale);
    }
    return v;
  }
}
