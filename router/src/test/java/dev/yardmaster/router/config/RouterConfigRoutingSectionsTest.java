package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiers, default_tier, models and routing sections of the router config. */
class RouterConfigRoutingSectionsTest {

  private static final RouterConfigLoader LOADER = RouterConfigLoader.withPrices(type -> Optional.of(1.0));
  private static final String POOLS = """
      pools:
        - {name: gpu, accelerator: gpu, price_per_hour: 1.0, endpoints: ["127.0.0.1:9001"]}
      """;

  @TempDir Path dir;

  @Test
  void readsTiersModelsAndRoutingWithProfilesRelativeToTheConfigFile() throws Exception {
    Files.createDirectories(dir.resolve("profiles"));
    ProfileFiles.write(dir.resolve("profiles/m.json"), new Profile(1, "m", null, Profile.DEFAULT_TIERS, 0, List.of(
        new ProfileEntry("1", "kserve", "gpu", "g5.xlarge", "gpu", 1.0,
            List.of(new GridPoint(1, 1, 500, 2, 2, 2, 2, 0)), null))));
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, POOLS + """
        tiers:
          gold: {p99_ms: 25, priority: 1}
          bronze: {priority: 5}
        default_tier: gold
        models: [{name: m, profile: profiles/m.json}]
        routing: {policy: least-queue, safety_margin: 0.5, fallback: [cpu, gpu], max_queue_delay_ms: 200}
        """);
    RouterConfig config = LOADER.load(file);
    assertThat(config.admission().tiers()).containsExactly(new Tier("gold", 0, 25_000_000, 1),
        Tier.bestEffort("bronze", 1, 5));
    assertThat(config.admission().defaultTier().name()).isEqualTo("gold");
    assertThat(config.models()).singleElement().satisfies(m -> {
      assertThat(m.name()).isEqualTo("m");
      assertThat(m.profile().entries()).hasSize(1);
    });
    assertThat(config.routing().policy()).isEqualTo("least-queue");
    assertThat(config.routing().config().safetyMargin()).isEqualTo(0.5);
    assertThat(config.routing().config().fallbackOrder()).containsExactly(AcceleratorKind.CPU, AcceleratorKind.GPU);
    assertThat(config.routing().config().maxQueueDelayNanos()).isEqualTo(200_000_000L);
  }

  @Test
  void defaultsToGoldSilverBronzeAndTheCostAwarePolicy() throws Exception {
    RouterConfig config = LOADER.parse(POOLS, "r.yaml");
    assertThat(config.admission().tiers()).isEqualTo(Tier.DEFAULTS);
    assertThat(config.admission().defaultTier()).isEqualTo(Tier.BRONZE);
    assertThat(config.models()).isEmpty();
    assertThat(config.routing()).isEqualTo(RoutingSettings.defaults());
  }

  @Test
  void reportsEveryRoutingProblemWithItsKeyAndTheFix() {
    assertThatThrownBy(() -> LOADER.parse(POOLS + """
        tiers: {gold: {p99_ms: -1}, silver: {priority: 0}}
        default_tier: platinum
        models: [{name: m, profile: nowhere.json}, {profile: x.json}]
        routing: {policy: fastest, safety_margin: 1.5, fallback: [gpu, tpu, gpu], max_queue_delay_ms: 0, margin: 1}
        """, "r.yaml", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tiers.gold.p99_ms: -1 (expected: a number of milliseconds > 0")
        .hasMessageContaining("tiers.silver.priority: 0 (expected: an integer >= 1, 1 is the highest)")
        .hasMessageContaining("default_tier: platinum (expected: one of gold, silver, bronze)")
        .hasMessageContaining("models[0] (model 'm').profile: " + dir.resolve("nowhere.json") + " cannot be read")
        .hasMessageContaining("models[1].name: missing (expected: the model name requests carry)")
        .hasMessageContaining("routing.policy: fastest (expected: one of [cost-aware, gpu-only, cpu-only, round-robin,"
            + " least-queue])")
        .hasMessageContaining("routing.safety_margin: 1.5 (expected: a number > 0 and <= 1")
        .hasMessageContaining("routing.fallback[1]: tpu (expected: gpu, inferentia or cpu)")
        .hasMessageContaining("routing.fallback[2]: gpu (expected: each accelerator at most once)")
        .hasMessageContaining("routing.max_queue_delay_ms: 0 (expected: milliseconds > 0")
        .hasMessageContaining("routing.margin: unknown key");
  }
}
