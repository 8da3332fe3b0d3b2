package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.OutlierDetectionConfig;
import dev.yardmaster.router.pool.OutlierDetector.Verdict;
import org.junit.jupiter.api.Test;

/** Consecutive-failure ejection with time as data (milliseconds as nanos, advanced by hand). */
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
}
