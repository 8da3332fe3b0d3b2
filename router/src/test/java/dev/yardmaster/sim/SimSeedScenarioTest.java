package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.sim.Comparison.PolicyOutcome;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in seed scenario with seed 42, as {@code yardmaster simulate} runs it: pins the numbers
 * the benchmark reports (see router/SIMULATOR.md). Takes a few seconds.
 */
class SimSeedScenarioTest {

  private static Comparison seed;

  @BeforeAll
  static void run() {
    Scenario scenario = Scenarios.seed();
    seed = Comparison.run(scenario, scenario.trace(42), 42, SimPolicy.all(), 200, line -> { });
  }

  @Test
  void staticFleetsAsMeasured() {
    assertThat(seed.requests()).isEqualTo(131_485);
    assertThat(seed.policy("cost-aware").fleet())
        .isEqualTo(Map.of("gpu-a10g", 0, "inf2", 1, "cpu-c7g", 1));
    assertThat(seed.policy("gpu-only").fleet())
        .isEqualTo(Map.of("gpu-a10g", 1, "inf2", 0, "cpu-c7g", 0));
    assertThat(seed.policy("cpu-only").fleet())
        .isEqualTo(Map.of("gpu-a10g", 0, "inf2", 0, "cpu-c7g", 7));
    assertThat(seed.oracle().fleet()).isEqualTo(Map.of("gpu-a10g", 0, "inf2", 1, "cpu-c7g", 0));
    for (PolicyOutcome outcome : seed.policies()) {
      assertThat(outcome.meetsTargets()).as(outcome.policy()).isTrue();
      assertThat(outcome.tiers().get(0).compliance()).as(outcome.policy()).isGreaterThanOrEqualTo(0.999);
    }
  }

  @Test
  void costAwareWithinOracleTargetOnStaticFleetButNotFortyPercentBelowGpuOnly() {
    PolicyOutcome ours = seed.policy("cost-aware");
    PolicyOutcome gpu = seed.policy("gpu-only");
    // $0.903/h vs $1.006/h: 10.2% cheaper; vs the oracle's $0.758/h: 1.19x
    assertThat(1 - ours.costDollars() / gpu.costDollars()).isBetween(0.102, 0.103);
    assertThat(ours.costDollars() / seed.oracle().costDollars()).isBetween(1.19, 1.20);
  }

  @Test
  void costAwareMeetsBothTargetsOnHourlyFleets() {
    PolicyOutcome ours = seed.policy("cost-aware");
    PolicyOutcome gpu = seed.policy("gpu-only");
    assertThat(ours.hourly().meetsTargets()).isTrue();
    assertThat(ours.hourly().tiers().get(0).compliance()).isGreaterThanOrEqualTo(0.999);
    assertThat(1 - ours.hourly().costDollars() / gpu.hourly().costDollars()).isGreaterThanOrEqualTo(0.40);
    assertThat(ours.hourly().costDollars() / seed.oracle().hourlyCostDollars()).isLessThanOrEqualTo(1.2);
  }

  @Test
  void summaryNamesTheFleetModeOfEachLineAndChecksTheTargetOnHourlyFleets() {
    TargetCheck target = TargetCheck.of(seed);
    assertThat(target).isNotNull();
    assertThat(target.savingPercent()).isBetween(52.6, 52.8);
    assertThat(target.oracleRatio()).isBetween(1.08, 1.10);
    assertThat(target.met()).isTrue();
    String text = TextReport.render(seed);
    assertThat(text).contains(
        "cost-aware vs gpu-only: 52.7% cheaper on hourly fleets (autoscaled to the load), 10.2% cheaper on one"
            + " static fleet (sized for the whole trace)",
        "cost-aware vs oracle: 1.09x on hourly fleets, 1.19x on one static fleet",
        "checked on the hourly fleets: the load is diurnal and the product's autoscaler resizes each pool",
        "52.7% cheaper: met; gold ", "1.09x the oracle: met -> target MET");
  }

  @Test
  void targetCheckNamesEachMissedPart() {
    TargetCheck short1 = new TargetCheck(39.9, 0.9995, 1.1);
    assertThat(short1.met()).isFalse();
    assertThat(short1.render()).contains("39.9% cheaper: missed; gold 99.950% within budget: met; 1.10x the oracle:"
        + " met -> target MISSED");
    assertThat(new TargetCheck(45, 0.998, 1.1).goldMet()).isFalse();
    assertThat(new TargetCheck(45, 0.999, 1.21).oracleMet()).isFalse();
    assertThat(new TargetCheck(40, 0.999, 1.2).met()).isTrue();
  }
}
