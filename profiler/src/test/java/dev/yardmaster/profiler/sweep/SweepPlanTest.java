package dev.yardmaster.profiler.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.profiler.load.CallKind;
import dev.yardmaster.profiler.load.LoadResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

  @Test
  void defaultBatchesArePowersOfTwoUpToMaxBatchSize() {
    assertThat(SweepPlan.defaults().batchesFor(64)).containsExactly(1, 2, 4, 8, 16, 32, 64);
    assertThat(SweepPlan.defaults().batchesFor(48)).containsExactly(1, 2, 4, 8, 16, 32, 48);
    assertThat(SweepPlan.defaults().batchesFor(0)).containsExactly(1);
    assertThat(SweepPlan.defaults().concurrencies()).containsExactly(1, 2, 4, 8, 16, 32, 64);
    assertThat(SweepPlan.defaults().withBatches(List.of(3)).batchesFor(64)).containsExactly(3);
  }

  @Test
  void badValuesNameTheField() {
    assertThatThrownBy(() -> SweepPlan.parseList("--batch", "1,0"))
        .hasMessage("--batch: '1,0' (expected: comma-separated integers >= 1)");
    assertThatThrownBy(() -> SweepPlan.defaults().withConcurrencies(List.of()))
        .hasMessage("concurrencies: [] (expected: at least one)");
  }

  @Test
  void threeWindowsWithinTenPercentAreStable() {
    SweepPlan plan = SweepPlan.defaults();
    assertThat(PointMeasurement.agree(List.of(window(1000), window(1050)), plan)).isFalse();
    assertThat(PointMeasurement.agree(List.of(window(500), window(1000), window(1050), window(980)), plan)).isTrue();
    assertThat(PointMeasurement.agree(List.of(window(1000), window(1300), window(1000)), plan)).isFalse();
  }

  @Test
  void combineAveragesTheLastWindowsAndSumsErrors() {
    PointResult point = PointMeasurement.combine(8, 2,
        List.of(window(100), window(1000), window(1100), window(1200)), 3, true, null);
    assertThat(point.throughput()).isEqualTo(1100.0);
    assertThat(point.p99Ms()).isEqualTo(4.0);
    assertThat(point.maxMs()).isEqualTo(9.0);
    assertThat(point.windows()).isEqualTo(4);
    assertThat(point.totalErrors()).isEqualTo(4);
    assertThat(point.toGridPoint().errors()).isEqualTo(4);
  }

  private static LoadResult window(double throughput) {
    return new LoadResult(CallKind.MODEL_INFER, 1, 100, 100, Map.of("UNAVAILABLE", 1L), 1.0, throughput,
        throughput, 1.0, 2.0, 3.0, 4.0, 9.0, 1.5, 0, 0, 0);
  }
}
