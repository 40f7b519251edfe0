package io.tensorforge.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyEstimateTest {

  private static final double EPS = 1e-9;

  @Test
  void unknownScoresZero() {
    LatencyEstimate est = new LatencyEstimate(1000, 10_000);
    assertEquals(0.0, est.averageMs(0));
    assertEquals(0.0, est.averageMs(123_456));
    assertFalse(est.known(0));
  }

  @Test
  void firstSampleIsTakenAsIs() {
    LatencyEstimate est = new LatencyEstimate(1000, 10_000);
    est.observe(120, 5);
    assertTrue(est.known(5));
    assertEquals(120.0, est.averageMs(5));
  }

  @Test
  void aHigherSampleIsBelievedAtOnce() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(100, 0);
    est.observe(900, 1);
    assertEquals(900.0, est.averageMs(1));
  }

  @Test
  void aLowerSampleIsBlendedByTheElapsedTime() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(300, 10);
    est.observe(100, 1010); // one decay period later
    double keep = Math.exp(-1.0);
    assertEquals(300 * keep + 100 * (1 - keep), est.averageMs(1010), EPS);

    est.observe(50, 1510); // half a period later, blended from the blended value
    double prev = 300 * keep + 100 * (1 - keep);
    double keep2 = Math.exp(-0.5);
    assertEquals(prev * keep2 + 50 * (1 - keep2), est.averageMs(1510), EPS);
  }

  @Test
  void aPeakFadesWithTimeWithoutNewSamples() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(50, 0);
    est.observe(50, 100);
    est.observe(800, 110); // an outlier: believed at once
    assertEquals(800.0, est.averageMs(110), EPS);
    double average = 50 * Math.exp(-10 / 1000.0) + 800 * (1 - Math.exp(-10 / 1000.0));
    assertEquals(Math.max(average, 800 * Math.exp(-1.0)), est.averageMs(1110), EPS, "one decay period later");
    assertEquals(average, est.averageMs(10_110), EPS, "long after, only the average is left");
  }

  @Test
  void aLowerSampleAtTheSameInstantChangesNothing() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(300, 10);
    est.observe(100, 10);
    assertEquals(300.0, est.averageMs(10));
  }

  @Test
  void aLowerSampleLongAfterwardsIsAlmostFullyBelieved() {
    LatencyEstimate est = new LatencyEstimate(100, 0);
    est.observe(1000, 0);
    est.observe(10, 10_000); // 100 decay periods
    assertEquals(1000 * Math.exp(-100) + 10 * (1 - Math.exp(-100)), est.averageMs(10_000), EPS);
  }

  @Test
  void negativeSamplesCountAsZero() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(-5, 0);
    assertTrue(est.known(0));
    assertEquals(0.0, est.averageMs(0));
  }

  @Test
  void staleAfterStaleAfterMsIsUnknownAgain() {
    LatencyEstimate est = new LatencyEstimate(1000, 5000);
    est.observe(400, 1000);
    assertEquals(400.0, est.averageMs(6000), "exactly staleAfterMs later is still fresh");
    assertTrue(est.known(6000));
    assertEquals(0.0, est.averageMs(6001));
    assertFalse(est.known(6001));
  }

  @Test
  void aSampleAfterStalenessIsTakenAsIsNotBlended() {
    LatencyEstimate est = new LatencyEstimate(1000, 5000);
    est.observe(400, 0);
    est.observe(20, 5001);
    assertEquals(20.0, est.averageMs(5001));
  }

  @Test
  void zeroStaleAfterNeverForgets() {
    LatencyEstimate est = new LatencyEstimate(1000, 0);
    est.observe(400, 0);
    assertEquals(400.0, est.averageMs(Long.MAX_VALUE / 2));
  }

  @Test
  void decayMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new LatencyEstimate(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LatencyEstimate(-1, 0));
  }
}
