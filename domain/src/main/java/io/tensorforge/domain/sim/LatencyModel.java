package io.tensorforge.domain.sim;

import java.util.random.RandomGenerator;

/**
 * A log-normal service time given by its median and its 99th percentile, as model servers show
 * it: most requests near the median, a long right tail.
 *
 * <p>{@code mu = ln(median)}, {@code sigma = ln(p99 / median) / z(0.99)}; a sample is
 * {@code exp(mu + sigma * N(0,1))}. When {@code p99 == median} every sample is the median.
 */
public record LatencyModel(double medianMs, double p99Ms) {

  /** The standard normal quantile of 0.99. */
  public static final double Z_99 = 2.3263;

  public LatencyModel {
    if (!(medianMs > 0) || Double.isInfinite(medianMs)) {
      throw new IllegalArgumentException("medianMs must be a finite number > 0, got " + medianMs);
    }
    if (!(p99Ms >= medianMs) || Double.isInfinite(p99Ms)) {
      throw new IllegalArgumentException("p99Ms must be finite and >= medianMs (" + medianMs + "), got " + p99Ms);
    }
  }

  public double mu() {
    return Math.log(medianMs);
  }

  public double sigma() {
    return Math.log(p99Ms / medianMs) / Z_99;
  }

  /** One service time in milliseconds, drawn from {@code random}. */
  public double sample(RandomGenerator random) {
    double sigma = sigma();
    if (sigma == 0) {
      return medianMs;
    }
    return Math.exp(mu() + sigma * random.nextGaussian());
  }
}
