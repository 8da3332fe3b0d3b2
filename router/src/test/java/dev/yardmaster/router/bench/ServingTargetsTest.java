package dev.yardmaster.router.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.load.CallKind;
import dev.yardmaster.profiler.load.LoadResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingTargetsTest {

  static SweepPoint point(String model, int concurrency, boolean batching, double inferencesPerSecond) {
    LoadResult result = new LoadResult(CallKind.MODEL_INFER, concurrency, 100, 100, Map.of(), 1.0,
        inferencesPerSecond, inferencesPerSecond, 1.0, 1.5, 1.8, 2.0, 3.0, 1.1, 10, 0, 0);
    return new SweepPoint(model, concurrency, batching, result);
  }

  private static final List<SweepPoint> SERVING = List.of(
      point("higgs_mlp_v1", 1, false, 1000), point("higgs_mlp_v1", 1, true, 950),
      point("higgs_mlp_v1", 64, false, 5000), point("higgs_mlp_v1", 64, true, 7000),
      point("wide_mlp", 1, false, 300), point("wide_mlp", 1, true, 240),
      point("wide_mlp", 64, false, 400), point("wide_mlp", 64, true, 2000));
  private static final List<SweepPoint> ECHO = List.of(
      point(ServingSweep.ECHO_LABEL, 1, false, 3000), point(ServingSweep.ECHO_LABEL, 64, false, 10000));
  private static final List<RawPoint> RAW = List.of(
      new RawPoint("wide_mlp", 1, 100, 1.0, 350, 2.9), new RawPoint("wide_mlp", 64, 40, 1.0, 2400, 26.0));

  @Test
  void checksEachBudgetWithTheRatioItNames() {
    List<TargetCheck> checks = ServingTargets.check(SERVING, ECHO, RAW);

    assertThat(checks).extracting(TargetCheck::name).containsExactly(
        "wide_mlp batching on/off at c=64",
        "wide_mlp served (batching on, c=64) / raw ORT batch 64",
        "higgs_mlp_v1 served (batching on, c=64) / echo c=64",
        "higgs_mlp_v1 batching on/off at c=1",
        "wide_mlp batching on/off at c=1");
    assertThat(checks).extracting(TargetCheck::ratio)
        .containsExactly(5.0, 2000.0 / 2400, 0.7, 0.95, 0.8);
    assertThat(checks).extracting(TargetCheck::passed).containsExactly(true, true, true, true, false);
  }

  @Test
  void leavesOutChecksWhosePointsTheRunSkipped() {
    assertThat(ServingTargets.check(SERVING, List.of(), List.of()))
        .extracting(TargetCheck::name)
        .doesNotContain("higgs_mlp_v1 served (batching on, c=64) / echo c=64")
        .hasSize(3);
  }

  @Test
  void zeroBaselineFailsRatherThanDividingByZero() {
    TargetCheck check = TargetCheck.of("x", 10, 0, 1.0);
    assertThat(check.ratio()).isZero();
    assertThat(check.passed()).isFalse();
  }

  @Test
  void tableShowsTheSpeedUpOnBatchingRows() {
    String table = SweepTables.serving(SERVING);
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("model", "c", "batching", "inf/s", "p50 ms", "p99 ms", "errors", "speed-up");
    assertThat(table).contains("5.00x").contains("1.40x");
    assertThat(table.lines()).hasSize(SERVING.size() + 1);
    assertThat(ServingTargets.render(ServingTargets.check(SERVING, ECHO, RAW)))
        .contains("PASS    5.00x  (target >= 4.0x)  wide_mlp batching on/off at c=64")
        .contains("FAIL    0.80x  (target >= 0.9x)  wide_mlp batching on/off at c=1");
  }

  @Test
  void comparesServedWithEchoByCpuPerRequest() {
    LoadResult result = SERVING.get(3).result();
    List<SweepPoint> serving = List.of(new SweepPoint("higgs_mlp_v1", 64, true, result, 40.0));
    List<SweepPoint> echo = List.of(new SweepPoint(ServingSweep.ECHO_LABEL, 64, false, result, 24.0));

    assertThat(ServingTargets.servedVsEchoByCpu(serving, echo)).hasValueSatisfying(line -> assertThat(line)
        .startsWith("0.60x  higgs_mlp_v1 served (batching on, c=64) / echo by CPU per request")
        .contains("[echo 24.0 us / served 40.0 us]"));
  }

  @Test
  void leavesTheCpuComparisonOutWithoutCpuMeasurements() {
    assertThat(ServingTargets.servedVsEchoByCpu(SERVING, ECHO)).isEmpty();
  }
}
