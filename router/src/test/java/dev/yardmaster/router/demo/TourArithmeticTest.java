package dev.yardmaster.router.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tour's numbers from hand-built results: costs, compliance, the tier draw and the load shape. */
class TourArithmeticTest {

  private static final List<PoolCost> POOLS = List.of(
      new PoolCost("cpu-local", false, "c7g.xlarge", 0.144, 4000, 3000, 0.144 / 3600 / 4000 * 1e6),
      new PoolCost("gpu-a10g", true, "g5.xlarge", 1.008, 2000, 1500, 1.008 / 3600 / 2000 * 1e6));

  @Test
  void costPerMillionWeighsEachPoolsCostByTheTiersAnswersThere() {
    assertThat(POOLS.get(0).costPerMillion()).isCloseTo(0.01, within(1e-12));
    assertThat(POOLS.get(1).costPerMillion()).isCloseTo(0.14, within(1e-12));
    TierResult gold = tier("gold", 10.0, Map.of("cpu-local", 25L, "gpu-a10g", 75L));
    TierResult bronze = tier("bronze", null, Map.of("cpu-local", 300L));
    PolicyResult result = PolicyResult.of("cost-aware", List.of(gold, bronze), POOLS);
    assertThat(result.costPerMillionByTier().get("gold")).isCloseTo(0.25 * 0.01 + 0.75 * 0.14, within(1e-12));
    assertThat(result.costPerMillionByTier().get("bronze")).isCloseTo(0.01, within(1e-12));
    assertThat(result.costPerMillion()).isCloseTo((325 * 0.01 + 75 * 0.14) / 400, within(1e-12));
    assertThat(gold.share("gpu-a10g")).isEqualTo(0.75);
    assertThat(POOLS.get(1).label()).isEqualTo("gpu-a10g (emulated)");
  }

  @Test
  void poolCostIsThePriceOverTheDrainRateTheRouterReadsFromTheProfile() {
    var grid = List.of(
        new dev.yardmaster.profiler.profile.ProfileEntry.GridPoint(1, 1, 900, 1, 1, 1, 1.0, 0),
        new dev.yardmaster.profiler.profile.ProfileEntry.GridPoint(1, 8, 2500, 2, 2, 2, 3.0, 0),
        new dev.yardmaster.profiler.profile.ProfileEntry.GridPoint(16, 1, 8000, 2, 2, 2, 2.0, 0));
    var profile = new dev.yardmaster.profiler.profile.Profile(1, "m", null,
        dev.yardmaster.profiler.profile.Profile.DEFAULT_TIERS, 0, List.of(
            new dev.yardmaster.profiler.profile.ProfileEntry("1", "emulated", "gpu", "g5.xlarge", "gpu", 3.6, grid,
                null)));
    PoolCost cost = PoolCost.of(profile).get(0);
    assertThat(cost.drainRowsPerSecond()).isEqualTo(8000.0); // batch 16 in 2 ms (lowest p99)
    assertThat(cost.batchOneThroughput()).isEqualTo(2500.0);
    assertThat(cost.costPerMillion()).isCloseTo(3.6 / 3600 / 8000 * 1e6, within(1e-12));
    assertThat(cost.emulated()).isTrue();
  }

  @Test
  void complianceCountsShedsErrorsAndDropsAsMisses() {
    TierResult gold = new TierResult("gold", 10.0, 100, 90, 80, 6, 4, 20, Map.of("cpu-local", 90L), 1, 2, Map.of());
    assertThat(gold.compliance()).isEqualTo(80 / 120.0);
    assertThat(gold.bestEffort()).isFalse();
  }

  @Test
  void tierDrawFollowsTheMixAndRepeatsWithTheSeed() {
    TierMixer.Sequence first = TierMixer.DEFAULT.sequence(7);
    TierMixer.Sequence again = TierMixer.DEFAULT.sequence(7);
    int[] counts = new int[3];
    for (int i = 0; i < 100_000; i++) {
      int tier = first.next();
      assertThat(again.next()).isEqualTo(tier);
      counts[tier]++;
    }
    assertThat(counts[0] / 1e5).isCloseTo(0.2, within(0.01));
    assertThat(counts[1] / 1e5).isCloseTo(0.3, within(0.01));
    assertThat(counts[2] / 1e5).isCloseTo(0.5, within(0.01));
    assertThatThrownBy(() -> new TierMixer(List.of("gold"), List.of(0.5)))
        .hasMessageContaining("(expected: one share >= 0 per tier, summing to 1)");
  }

  @Test
  void loadShapeScalesWithTheCpuPoolWithinBounds() {
    TourOptions options = TourOptions.defaults(Path.of("x"));
    List<LoadPhase> phases = options.phases(4000);
    assertThat(phases).extracting(LoadPhase::name).containsExactly("warm-up", "base", "peak", "base");
    assertThat(phases).extracting(LoadPhase::requestsPerSecond).containsExactly(1000.0, 1000.0, 2800.0, 1000.0);
    assertThat(phases.get(2).duration()).isEqualTo(Duration.ofSeconds(8));
    assertThat(phases.get(0).recorded()).isFalse();
    assertThat(options.phases(1e9).get(2).requestsPerSecond()).isEqualTo(TourOptions.MAX_RATE);
    assertThat(options.phases(1).get(1).requestsPerSecond()).isEqualTo(20.0);
  }

  private static TierResult tier(String name, Double budgetMs, Map<String, Long> byPool) {
    long answered = byPool.values().stream().mapToLong(Long::longValue).sum();
    return new TierResult(name, budgetMs, answered, answered, answered, 0, 0, 0, byPool, 1, 2, Map.of());
  }
}
