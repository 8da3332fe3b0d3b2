package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.OutlierDetectionConfig;
import dev.yardmaster.router.config.OutlierDetectionConfig.SuccessRate;
import dev.yardmaster.router.pool.OutlierDetector.Outlier;
import dev.yardmaster.router.pool.OutlierDetector.Verdict;
import org.junit.jupiter.api.Test;

/** Consecutive-failure and success-rate ejection with time as data (milliseconds as nanos, advanced by hand). */
class OutlierDetectorTest {

  static final long MS = 1_000_000L;

  static OutlierDetector detector(int maxEjectionPercent, boolean enforcing) {
    return new OutlierDetector(new OutlierDetectionConfig(3, 1000, 2500, maxEjectionPercent, enforcing));
  }

  @Test
  void ejectsAfterConsecutiveFailuresAndReturnsAfterBaseEjectionTime() {
    OutlierDetector detector = detector(50, true);
    assertThat(detector.onFailure("a", 0, 3)).isEqualTo(Verdict.NONE);
    assertThat(detector.onFailure("a", 0, 3)).isEqualTo(Verdict.NONE);
    assertThat(detector.onFailure("a", 0, 3)).isEqualTo(Verdict.EJECTED);
    assertThat(detector.isEjected("a")).isTrue();
    assertThat(detector.unejectDue(999 * MS)).isEmpty();
    assertThat(detector.unejectDue(1000 * MS)).containsExactly("a");
    assertThat(detector.isEjected("a")).isFalse();
  }

  @Test
  void aSuccessResetsTheFailureRun() {
    OutlierDetector detector = detector(50, true);
    detector.onFailure("a", 0, 3);
    detector.onFailure("a", 0, 3);
    detector.onSuccess("a");
    assertThat(detector.onFailure("a", 0, 3)).isEqualTo(Verdict.NONE);
  }

  @Test
  void ejectionTimeGrowsWithTimesEjectedUpToTheMax() {
    OutlierDetector detector = detector(50, true);
    long now = 0;
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 3; i++) {
        detector.onFailure("a", now, 3);
      }
      long expectedMillis = Math.min(2500, 1000L * round);
      assertThat(detector.unejectDue(now + expectedMillis * MS - 1)).isEmpty();
      assertThat(detector.unejectDue(now + expectedMillis * MS)).containsExactly("a");
      now += expectedMillis * MS;
    }
    assertThat(detector.timesEjected("a")).isEqualTo(3);
  }

  @Test
  void maxEjectionPercentLimitsEjectionsButAlwaysAllowsOne() {
    OutlierDetector detector = detector(10, true); // 10% of 3 = 0, at least one
    for (int i = 0; i < 3; i++) {
      detector.onFailure("a", 0, 3);
    }
    assertThat(detector.isEjected("a")).isTrue();
    detector.onFailure("b", 0, 3);
    detector.onFailure("b", 0, 3);
    assertThat(detector.onFailure("b", 0, 3)).isEqualTo(Verdict.DETECTED_ONLY);
    assertThat(detector.isEjected("b")).isFalse();
    assertThat(detector.detected()).isEqualTo(2);
    assertThat(detector.enforced()).isEqualTo(1);
  }

  @Test
  void dryRunDetectsButNeverEnforces() {
    OutlierDetector detector = detector(100, false);
    for (int i = 0; i < 6; i++) {
      detector.onFailure("a", 0, 3);
    }
    assertThat(detector.isEjected("a")).isFalse();
    assertThat(detector.detected()).isEqualTo(2);
    assertThat(detector.enforced()).isZero();
  }

  /** Success rate only (consecutive failures far out of reach), swept every 100 ms. */
  static OutlierDetector successRate(int minimumHosts, double stdevFactor, boolean enforcing) {
    return new OutlierDetector(new OutlierDetectionConfig(1000, 1000, 10_000, 50, enforcing, 100,
        new SuccessRate(true, minimumHosts, 10, stdevFactor)));
  }

  static void record(OutlierDetector detector, String endpoint, int successes, int failures) {
    for (int i = 0; i < successes; i++) {
      detector.onSuccess(endpoint);
    }
    for (int i = 0; i < failures; i++) {
      detector.onFailure(endpoint, 0, 3);
    }
  }

  @Test
  void ejectsAnEndpointWhoseSuccessRateIsBelowMeanMinusFactorTimesStdevAfterTheInterval() {
    OutlierDetector detector = successRate(3, 1.0, true);
    assertThat(detector.sweepDue(0, 3)).as("the first call starts the interval").isEmpty();
    record(detector, "a", 100, 0);
    record(detector, "b", 100, 0);
    record(detector, "c", 70, 30);
    assertThat(detector.sweepDue(99 * MS, 3)).as("the interval has not ended").isEmpty();

    // rates 100, 100, 70: mean 90, stdev sqrt(200) = 14.14, threshold 90 - 14.14 = 75.86
    assertThat(detector.sweepDue(100 * MS, 3)).singleElement().satisfies(outlier -> {
      assertThat(outlier.endpoint()).isEqualTo("c");
      assertThat(outlier.verdict()).isEqualTo(Verdict.EJECTED);
      assertThat(outlier.successRatePercent()).isEqualTo(70.0);
      assertThat(outlier.thresholdPercent()).isCloseTo(90 - Math.sqrt(200), org.assertj.core.data.Offset.offset(1e-9));
    });
    assertThat(detector.isEjected("c")).isTrue();
    assertThat(detector.enforced(EjectionReason.SUCCESS_RATE)).isEqualTo(1);
    assertThat(detector.enforced(EjectionReason.CONSECUTIVE_FAILURES)).isZero();
    assertThat(detector.unejectDue(1099 * MS)).isEmpty();
    assertThat(detector.unejectDue(1100 * MS)).containsExactly("c");
  }

  @Test
  void countsStartAgainEachInterval() {
    OutlierDetector detector = successRate(3, 1.0, true);
    detector.sweepDue(0, 3);
    record(detector, "a", 50, 50);
    record(detector, "b", 50, 50);
    record(detector, "c", 100, 0); // the best of the first interval
    assertThat(detector.sweepDue(100 * MS, 3)).isEmpty();
    record(detector, "a", 10, 0);
    record(detector, "b", 10, 0);
    record(detector, "c", 7, 3); // 70% in this interval; over both it would still be the best (97%)
    assertThat(detector.sweepDue(200 * MS, 3)).extracting(Outlier::endpoint).containsExactly("c");
  }

  @Test
  void aFactorOf1point9CanNeverEjectOneOfThreeEndpoints() {
    OutlierDetector detector = successRate(3, 1.9, true);
    detector.sweepDue(0, 3);
    record(detector, "a", 100, 0);
    record(detector, "b", 100, 0);
    record(detector, "c", 0, 100); // sqrt(3 - 1) = 1.41 deviations below the mean, no more
    assertThat(detector.sweepDue(100 * MS, 3)).isEmpty();
    assertThat(detector.isEjected("c")).isFalse();
  }

  @Test
  void endpointsBelowTheRequestVolumeAreNotComparedAndTooFewLeftCompareNothing() {
    OutlierDetector detector = successRate(3, 1.0, true);
    detector.sweepDue(0, 3);
    record(detector, "a", 100, 0);
    record(detector, "b", 100, 0);
    record(detector, "c", 0, 9); // request volume 10
    assertThat(detector.sweepDue(100 * MS, 3)).isEmpty();
    assertThat(detector.detected()).isZero();
  }

  @Test
  void successRateDryRunDetectsButNeverEnforces() {
    OutlierDetector detector = successRate(3, 1.0, false);
    detector.sweepDue(0, 3);
    record(detector, "a", 100, 0);
    record(detector, "b", 100, 0);
    record(detector, "c", 50, 50);
    assertThat(detector.sweepDue(100 * MS, 3)).extracting(Outlier::verdict).containsExactly(Verdict.DETECTED_ONLY);
    assertThat(detector.isEjected("c")).isFalse();
    assertThat(detector.detected(EjectionReason.SUCCESS_RATE)).isEqualTo(1);
    assertThat(detector.enforced()).isZero();
  }

  @Test
  void disabledSuccessRateComparesNothing() {
    OutlierDetector detector = new OutlierDetector(new OutlierDetectionConfig(1000, 1000, 10_000, 50, true, 100,
        new SuccessRate(false, 3, 10, 1.0)));
    detector.sweepDue(0, 3);
    record(detector, "a", 100, 0);
    record(detector, "b", 100, 0);
    record(detector, "c", 0, 100);
    assertThat(detector.sweepDue(100 * MS, 3)).isEmpty();
  }
}
