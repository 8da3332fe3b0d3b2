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
    PolicyResult result = PolicyResult.of("cost-aware", new LoadResult(List.of(gold, bronze), List.of()), POOLS);
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
    List<LoadPhase> phases = options.phases(3000);
    assertThat(phases).extracting(LoadPhase::name).containsExactly("warm-up", "base", "peak", "base");
    // base at half the CPU pool's capacity, the peak 1.5x above it
    assertThat(phases).extracting(LoadPhase::requestsPerSecond).containsExactly(1500.0, 1500.0, 4500.0, 1500.0);
    assertThat(phases.get(2).duration()).isEqualTo(Duration.ofSeconds(8));
    assertThat(phases.get(0).recorded()).isFalse();
    assertThat(options.phases(1e9).get(2).requestsPerSecond()).isEqualTo(TourOptions.MAX_RATE);
    assertThat(options.phases(1).get(1).requestsPerSecond()).isEqualTo(20.0);
  }

  @Test
  void phaseTalliesPassEveryEventOnToTheRunsTally() {
    TierTally run = new TierTally("gold", 10_000_000L);
    TierTally base = run.phase();
    TierTally peak = run.phase();
    base.sent();
    base.answered("cpu-local", 2_000_000L);
    peak.sent();
    peak.answered("inf2", 4_000_000L);
    peak.sent();
    peak.answered("cpu-local", 30_000_000L);
    peak.dropped();
    peak.sent();
    peak.shed();
    peak.sent();
    peak.failed("UNAVAILABLE");
    TierResult whole = run.result();
    assertThat(whole.sent()).isEqualTo(5);
    assertThat(whole.answersByPool()).containsExactlyInAnyOrderEntriesOf(Map.of("cpu-local", 2L, "inf2", 1L));
    assertThat(whole.withinBudget()).isEqualTo(2);
    assertThat(whole.shed() + whole.dropped() + whole.failed()).isEqualTo(3);
    assertThat(whole.errors()).containsEntry("UNAVAILABLE", 1L);
    TierResult atPeak = peak.result();
    assertThat(atPeak.sent()).isEqualTo(4);
    assertThat(atPeak.share("inf2")).isEqualTo(0.5);
    assertThat(atPeak.compliance()).isEqualTo(1 / 5.0);
    assertThat(base.result().share("cpu-local")).isEqualTo(1.0);
  }

  @Test
  void tablesShowTheCpuPoolsCapacityAndTrafficLeavingItAtThePeak() {
    List<PoolCost> pools = List.of(POOLS.get(0),
        new PoolCost("inf2", true, "inf2.xlarge", 0.72, 3000, 1000, 0.72 / 3600 / 3000 * 1e6));
    PhaseResult base = new PhaseResult("base", 1500, List.of(
        tier("gold", 10.0, Map.of("cpu-local", 100L)), tier("bronze", null, Map.of("cpu-local", 250L))));
    PhaseResult peak = new PhaseResult("peak", 4500, List.of(
        tier("gold", 10.0, Map.of("cpu-local", 75L, "inf2", 225L)), tier("bronze", null, Map.of("cpu-local", 750L))));
    PhaseResult after = new PhaseResult("base", 1500, List.of(
        tier("gold", 10.0, Map.of("cpu-local", 90L, "inf2", 10L)), tier("bronze", null, Map.of("cpu-local", 250L))));
    List<TierResult> whole = List.of(tier("gold", 10.0, Map.of("cpu-local", 265L, "inf2", 235L)),
        tier("bronze", null, Map.of("cpu-local", 1250L)));
    PolicyResult costAware = PolicyResult.of("cost-aware", new LoadResult(whole, List.of(base, peak, after)), pools);
    PolicyResult gpuOnly = PolicyResult.of("gpu-only", new LoadResult(List.of(tier("gold", 10.0, Map.of("inf2", 500L)),
        tier("bronze", null, Map.of("inf2", 1250L))), List.of()), pools);
    TourReport report = new TourReport("now", false, "wide_mlp", new CpuPoolLimit("cpu-local", "one instance", 3000),
        pools, TourOptions.defaults(Path.of("x")).phases(3000), List.of(costAware, gpuOnly), 50, List.of(), List.of());

    String text = TourTables.render(report);

    assertThat(text).contains("cpu-local: one instance; it drained 3,000 rows/s in its profile",
        "base 1500/s (0.50x) 8s peak 4500/s (1.50x) 8s base 1500/s (0.50x) 8s",
        "at the peak more arrives than cpu-local drains, so its queue grows");
    assertThat(text.lines().filter(line -> line.startsWith("  peak     4500  gold       300")))
        .singleElement().satisfies(line -> assertThat(line.split(" +")).contains("25.0%", "75.0%", "100.0%"));
    assertThat(text).contains("answered off cpu-local under cost-aware, by phase: gold base 0% -> peak 75% -> base 10%;"
        + " bronze base 0% -> peak 0% -> base 0%");
    assertThat(text.lines().filter(line -> line.equals("  by phase:"))).as("only cost-aware has the phase table")
        .hasSize(1);
    assertThat(TourTables.capacity(new TourReport("now", false, "m", new CpuPoolLimit("cpu-local", "one", 1e5), pools,
        TourOptions.defaults(Path.of("x")).phases(1e5), List.of(costAware, gpuOnly), 0, List.of(), List.of())))
        .contains("the peak (6000/s) is not above what cpu-local drains");
  }

  private static TierResult tier(String name, Double budgetMs, Map<String, Long> byPool) {
    long answered = byPool.values().stream().mapToLong(Long::longValue).sum();
    return new TierResult(name, budgetMs, answered, answered, answered, 0, 0, 0, byPool, 1, 2, Map.of());
  }
}
