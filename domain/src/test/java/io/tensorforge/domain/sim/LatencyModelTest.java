package io.tensorforge.domain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyModelTest {

  @ParameterizedTest
  @CsvSource({"20, 80", "5, 10", "300, 2000", "1, 1.5"})
  void sampledMedianAndP99MatchTheConfiguredOnes(double median, double p99) {
    LatencyModel model = new LatencyModel(median, p99);
    SplittableRandom random = new SplittableRandom(42);
    double[] samples = new double[20_000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = model.sample(random);
      assertTrue(samples[i] > 0, "a latency is positive");
    }
    Arrays.sort(samples);
    double sampledMedian = samples[samples.length / 2];
    double sampledP99 = samples[(int) Math.ceil(samples.length * 0.99) - 1];
    assertEquals(median, sampledMedian, median * 0.10, "median");
    assertEquals(p99, sampledP99, p99 * 0.10, "p99");
  }

  @Test
  void parametersFollowTheFormula() {
    LatencyModel model = new LatencyModel(20, 80);
    assertEquals(Math.log(20), model.mu(), 1e-12);
    assertEquals(Math.log(4) / 2.3263, model.sigma(), 1e-12);
  }

  @Test
  void equalMedianAndP99GiveAConstant() {
    LatencyModel model = new LatencyModel(50, 50);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      assertEquals(50.0, model.sample(random));
    }
  }

  @Test
  void sameSeedSameSamples() {
    LatencyModel model = new LatencyModel(20, 80);
    SplittableRandom a = new SplittableRandom(7);
    SplittableRandom b = new SplittableRandom(7);
    for (int i = 0; i < 100; i++) {
      assertEquals(model.sample(a), model.sample(b));
    }
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(Double.NaN, 10));
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(20, 10));
    assertThrows(IllegalArgumentException.class, () -> new LatencyModel(20, Double.POSITIVE_INFINITY));
  }
}
