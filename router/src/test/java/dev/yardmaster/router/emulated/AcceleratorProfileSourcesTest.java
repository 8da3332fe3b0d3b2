package dev.yardmaster.router.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.AcceleratorProfiles;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorProfileSourcesTest {

  @TempDir Path dir;

  @Test
  void builtInNamesResolveToTheBuiltInProfiles() {
    assertThat(AcceleratorProfileSources.resolve("gpu-a10g")).isSameAs(AcceleratorProfiles.GPU_A10G);
    assertThat(AcceleratorProfileSources.resolve("inf2")).isSameAs(AcceleratorProfiles.INFERENTIA2);
  }

  @Test
  void aSmallYamlFileIsAProfile() throws Exception {
    Path file = Files.writeString(dir.resolve("t4.yaml"), """
        name: gpu-t4
        accelerator: gpu
        max_concurrent_executions: 3
        source: published T4 numbers
        latency:
          - {batch: 1, latency_us: 1500}
          - {batch: 64, latency_us: 2130}
        """);

    AcceleratorProfile profile = AcceleratorProfileSources.resolve(file.toString());

    assertThat(profile.name()).isEqualTo("gpu-t4");
    assertThat(profile.maxConcurrentExecutions()).isEqualTo(3);
    assertThat(profile.latencyNanos(32)).isEqualTo(1_810_000);
  }

  @Test
  void aProfileEntryBecomesItsLowestP50PerBatchAndItsSaturatingConcurrency() {
    ProfileEntry entry = new ProfileEntry("1", "kserve", "gpu-a10g", "g5.xlarge", "gpu", 1.006, List.of(
        new GridPoint(1, 1, 800, 1.2, 1.3, 1.4, 1.5, 0),
        new GridPoint(1, 4, 2_500, 1.5, 1.7, 1.8, 2.0, 0),
        new GridPoint(64, 1, 40_000, 1.6, 1.7, 1.8, 1.9, 0),
        new GridPoint(64, 4, 90_000, 2.8, 3.0, 3.1, 3.3, 0)), null);

    AcceleratorProfile profile = AcceleratorProfileSources.fromProfileEntry(entry, "test");

    assertThat(profile.name()).isEqualTo("gpu-a10g");
    assertThat(profile.accelerator()).isEqualTo("gpu");
    assertThat(profile.latencyNanos(1)).isEqualTo(1_200_000);
    assertThat(profile.latencyNanos(64)).isEqualTo(1_600_000);
    assertThat(profile.maxConcurrentExecutions()).isEqualTo(4);
  }

  @Test
  void anUnknownNameSaysWhatWasExpected() {
    assertThatThrownBy(() -> AcceleratorProfileSources.resolve("gpu-h100"))
        .hasMessage("--emulate: 'gpu-h100' (expected: a built-in profile [gpu-a10g, inf2] or a readable profile file)");
  }

  @Test
  void aBadFileNamesTheFieldAndTheExpectation() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"),
        "{\"name\": \"x\", \"accelerator\": \"gpu\", \"latency\": [{\"batch\": 0, \"latency_us\": 5}]}");

    assertThatThrownBy(() -> AcceleratorProfileSources.resolve(file.toString()))
        .hasMessage("accelerator profile bad.json: batch: 0 (expected: >= 1)");
  }
}
