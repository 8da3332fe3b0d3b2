package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.sim.Comparison.PolicyOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed scenario's pools at a tenth of its load over 12 simulated seconds, all policies. */
class SimSmallSeedComparisonTest {

  private static final long SEED = 42;
  private static Comparison comparison;
  private static final List<String> progress = new ArrayList<>();

  static Comparison compare(List<String> sink) {
    Scenario scenario = Scenarios.seed(40, 400);
    Trace trace = scenario.trace().make(SEED, 12_000_000_000L);
    return Comparison.run(scenario, trace, SEED, SimPolicy.all(), 50, sink::add);
  }

  @BeforeAll
  static void run() {
    comparison = compare(progress);
  }

  @Test
  void gpuOnlyCostsMoreThanCostAware() {
    PolicyOutcome ours = comparison.policy("cost-aware");
    PolicyOutcome gpu = comparison.policy("gpu-only");
    assertThat(ours.meetsTargets()).isTrue();
    assertThat(gpu.meetsTargets()).isTrue();
    assertThat(gpu.costDollars()).isGreaterThan(ours.costDollars());
    assertThat(gpu.hourly().costDollars()).isGreaterThan(ours.hourly().costDollars());
    // one g5.xlarge vs one c7g.xlarge for 12 s: $1.006 vs $0.145 per hour
    assertThat(gpu.fleet()).containsEntry("gpu-a10g", 1).containsEntry("cpu-c7g", 0);
    assertThat(ours.fleet()).containsEntry("gpu-a10g", 0).containsEntry("inf2", 0).containsEntry("cpu-c7g", 1);
    assertThat(ours.tiers().get(0).compliance()).isGreaterThanOrEqualTo(0.999);
  }

  @Test
  void oracleCostsNoMoreThanAnyPolicy() {
    Comparison.OracleOutcome oracle = comparison.oracle();
    for (PolicyOutcome outcome : comparison.policies()) {
      assertThat(oracle.costDollars()).as(outcome.policy()).isLessThanOrEqualTo(outcome.costDollars());
      assertThat(oracle.hourlyCostDollars()).as(outcome.policy())
          .isLessThanOrEqualTo(outcome.hourly().costDollars());
    }
    assertThat(oracle.hourlyCostDollars()).isLessThanOrEqualTo(oracle.costDollars());
  }

  @Test
  void reportsEveryPolicyAndShowsProgress() {
    assertThat(comparison.policies()).extracting(PolicyOutcome::policy)
        .containsExactlyElementsOf(SimPolicy.NAMES);
    assertThat(progress).anyMatch(line -> line.startsWith("cost-aware   try  1"));
    assertThat(progress).anyMatch(line -> line.startsWith("gpu-only     window 24/24"));
    String text = TextReport.render(comparison);
    assertThat(text).contains("cost-aware vs gpu-only:").contains("oracle (bound)");
  }

  @Test
  void sameSeedSameJson() {
    assertThat(JsonReport.render(compare(new ArrayList<>()))).isEqualTo(JsonReport.render(comparison));
  }
}
