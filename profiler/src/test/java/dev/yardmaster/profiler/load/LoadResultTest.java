package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadResultTest {

  static LoadResult result(
      int concurrency,
      double inferencesPerSecond,
      double p50,
      double p99,
      Map<String, Long> errors) {
    return new LoadResult(
        CallKind.MODEL_INFER,
        concurrency,
        1000,
        8000,
        errors,
        1.0,
        inferencesPerSecond / 8,
        inferencesPerSecond,
        p50,
        p50 * 1.5,
        p50 * 1.8,
        p99,
        p99 * 2,
        p50 * 1.1,
        200,
        0,
        0);
  }

  @Test
  void roundTripsThroughJson() {
    LoadResult result =
        result(64, 52310.4, 1.021, 3.21, Map.of("UNAVAILABLE", 2L, "DEADLINE_EXCEEDED", 1L));

    String json = result.toJson();

    assertThat(json)
        .contains(
            "\"call\":\"MODEL_INFER\"",
            "\"p99Ms\":3.21",
            "\"errors\":{\"DEADLINE_EXCEEDED\":1,\"UNAVAILABLE\":2}");
    assertThat(LoadResult.fromJson(json)).isEqualTo(result);
    assertThat(result.totalErrors()).isEqualTo(3);
  }

  @Test
  void rendersAlignedTableWithRatioAgainstBaseline() {
    LoadResult direct = result(64, 52310.4, 1.021, 3.21, Map.of());
    LoadResult router = result(64, 47079.36, 1.13, 3.601, Map.of("UNAVAILABLE", 2L));

    String table =
        LoadTable.create().add("direct", direct).add("via router", router, direct).render();

    assertThat(table)
        .isEqualTo(
            """
            label        c  inf/s  p50 ms  p99 ms  errors  vs base
            direct      64  52310   1.021   3.210       0
            via router  64  47079   1.130   3.601       2    0.90x
            """);
  }

  @Test
  void leavesOutTheRatioColumnWithoutBaselines() {
    String table = LoadTable.create().add("echo", result(1, 12.34, 0.2, 0.5, Map.of())).render();

    assertThat(table)
        .isEqualTo(
            """
            label  c  inf/s  p50 ms  p99 ms  errors
            echo   1   12.3   0.200   0.500       0
            """);
  }

  @Test
  void marksTheRatioNotApplicableAgainstAnIdleBaseline() {
    LoadResult idle = result(1, 0.0, 0.0, 0.0, Map.of("UNAVAILABLE", 9L));

    String table = LoadTable.create().add("x", result(1, 50.0, 0.2, 0.5, Map.of()), idle).render();

    assertThat(table).endsWith("\nx      1   50.0   0.200   0.500       0      n/a\n");
  }
}
