package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimProfileScenarioTest {

  private static GridPoint point(int batch, double p99Ms) {
    return new GridPoint(batch, 1, batch * 1000 / p99Ms, p99Ms, p99Ms, p99Ms, p99Ms, 0);
  }

  @Test
  void buildsOnePoolPerEntryWithTheRouterCurve() {
    Profile profile = new Profile(1, "higgs_mlp", null, Profile.DEFAULT_TIERS, 0, List.of(
        new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.145,
            List.of(point(1, 1.0), point(4, 2.0)), null),
        new ProfileEntry("1", "kserve", "gpu-a10g", "g5.xlarge", "gpu", 1.006,
            List.of(point(1, 2.0), point(32, 4.0)), null),
        new ProfileEntry("2", "kserve", "gpu-v2", "g5.xlarge", "gpu", 1.006,
            List.of(point(1, 2.0)), null)));
    Scenario scenario = Scenarios.fromProfile(profile, 10, 100);
    assertThat(scenario.name()).isEqualTo("profile-higgs_mlp");
    assertThat(scenario.pools()).extracting(PoolSpec::id).containsExactly("cpu-local", "gpu-a10g");
    assertThat(scenario.pools()).extracting(PoolSpec::accelerator)
        .containsExactly(AcceleratorKind.CPU, AcceleratorKind.GPU);
    ServiceCurve cpu = scenario.pools().get(0).curve();
    assertThat(cpu.maxBatch()).isEqualTo(4);
    assertThat(cpu.serviceNanos(4)).isEqualTo(2_000_000);
    assertThat(scenario.pools().get(0).maxReplicas()).isEqualTo(32);
    assertThat(scenario.pools().get(1).maxReplicas()).isEqualTo(8);
  }

  @Test
  void batcherAimsForTheMostEfficientBatch() {
    // rows per ms: 1, 1.33, 1.5, 1.67, 0.5: batch 4, not the slow max batch 5
    ServiceCurve measured = ServiceCurve.of(
        new long[] {1_000_000, 1_500_000, 2_000_000, 2_400_000, 10_000_000}, Tier.DEFAULTS);
    assertThat(Simulation.preferredBatch(measured)).isEqualTo(4);
    assertThat(Simulation.preferredBatch(ServiceCurve.linear(400_000, 350_000, 32, Tier.DEFAULTS)))
        .isEqualTo(32);
  }
}
