package dev.yardmaster.router.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceCurvesTest {

  private static final ProfileEntry CPU = new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu",
      0.145, List.of(
          new GridPoint(1, 1, 333, 2, 2.5, 2.8, 3.0, 0),
          new GridPoint(2, 1, 500, 3, 3.5, 3.8, 4.0, 0),
          new GridPoint(2, 8, 1800, 5, 7, 8, 9.0, 0),
          new GridPoint(8, 1, 800, 9, 9.5, 9.8, 10.0, 0)),
      null);

  @Test
  void usesTheLowestMeasuredP99PerBatchAndTheLineInBetween() {
    ServiceCurve curve = ServiceCurves.of(CPU, Tier.DEFAULTS);
    assertThat(curve.maxBatch()).isEqualTo(8);
    assertThat(curve.serviceNanos(1)).isEqualTo(3_000_000);
    assertThat(curve.serviceNanos(2)).isEqualTo(4_000_000);
    assertThat(curve.serviceNanos(8)).isEqualTo(10_000_000);
    // measured points lie on 2 ms + 1 ms x batch
    assertThat(curve.serviceNanos(5)).isEqualTo(7_000_000);
    assertThat(curve.drainRowsPerSecond()).isCloseTo(800.0, within(1e-9));
    assertThat(curve.maxThroughput(Tier.GOLD)).isCloseTo(800.0, within(1e-9));
  }

  @Test
  void aPoolThatRanConcurrentOneRowRequestsOneRowAtATimeDrainsAtItsOneRowRate() {
    // no dynamic batching: 8 concurrent one-row requests ran as 8 one-row executions; a 16-row request is fast
    ProfileEntry unmerged = entry(1.0);
    ServiceCurve curve = ServiceCurves.of(unmerged, Tier.DEFAULTS);
    assertThat(ServiceCurves.runsRequestsOneAtATime(unmerged)).isTrue();
    assertThat(curve.serviceNanos(1)).isEqualTo(1_000_000);
    assertThat(curve.serviceNanos(16)).isEqualTo(16_000_000);
    assertThat(curve.drainRowsPerSecond()).isCloseTo(1000.0, within(1e-6));
  }

  @Test
  void aPoolThatMergedConcurrentRequestsKeepsItsBatchedDrainRate() {
    ProfileEntry merged = entry(3.9);
    ServiceCurve curve = ServiceCurves.of(merged, Tier.DEFAULTS);
    assertThat(ServiceCurves.runsRequestsOneAtATime(merged)).isFalse();
    assertThat(curve.serviceNanos(16)).isEqualTo(4_000_000);
    assertThat(curve.drainRowsPerSecond()).isCloseTo(4000.0, within(1e-6));
    // without server statistics the curve is as measured
    assertThat(ServiceCurves.runsRequestsOneAtATime(CPU)).isFalse();
  }

  /** Batch 1 in 1 ms and batch 16 in 4 ms; at c=8 one-row requests ran {@code rowsPerExecution} rows per execution. */
  private static ProfileEntry entry(double rowsPerExecution) {
    var server = new ProfileEntry.ServerSplit(0.5, 1.0, rowsPerExecution, 1000, Math.round(1000 / rowsPerExecution));
    return new ProfileEntry("1", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.145, List.of(
        new GridPoint(1, 1, 900, 0.9, 0.95, 0.98, 1.0, 0),
        new GridPoint(1, 8, 1000, 7, 7.5, 7.8, 8.0, 0, null, null, server),
        new GridPoint(16, 1, 3900, 3.9, 3.95, 3.98, 4.0, 0)), null);
  }

  @Test
  void findsTheEntryForVersionAndPool() {
    Profile profile = new Profile(1, "higgs_mlp", null, Profile.DEFAULT_TIERS, 0, List.of(CPU));
    assertThat(ServiceCurves.find(profile, "1", "cpu-local", Tier.DEFAULTS)).isNotNull();
    assertThat(ServiceCurves.find(profile, "2", "cpu-local", Tier.DEFAULTS)).isNull();
    assertThat(ServiceCurves.find(profile, "1", "gpu-a10g", Tier.DEFAULTS)).isNull();
  }
}
