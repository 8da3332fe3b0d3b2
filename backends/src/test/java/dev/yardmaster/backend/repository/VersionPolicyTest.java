package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionPolicyTest {

  private static final List<Long> AVAILABLE = List.of(1L, 2L, 3L, 10L);

  @Test
  void latestKeepsTheHighestNumericVersions() {
    assertThat(new VersionPolicy.Latest(1).select(AVAILABLE)).containsExactly(10L);
    assertThat(new VersionPolicy.Latest(2).select(AVAILABLE)).containsExactly(3L, 10L);
    assertThat(new VersionPolicy.Latest(9).select(AVAILABLE)).containsExactly(1L, 2L, 3L, 10L);
  }

  @Test
  void allAndSpecificSelectAscending() {
    assertThat(new VersionPolicy.All().select(List.of(3L, 1L))).containsExactly(1L, 3L);
    assertThat(new VersionPolicy.Specific(List.of(10L, 2L, 7L)).select(AVAILABLE)).containsExactly(2L, 10L);
  }

  @Test
  void policyComesFromTheConfigAndDefaultsToLatestOne() {
    assertThat(VersionPolicy.of(ModelVersionPolicy.getDefaultInstance())).isEqualTo(new VersionPolicy.Latest(1));
    assertThat(VersionPolicy.of(ModelVersionPolicy.newBuilder()
        .setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(3)).build()))
        .isEqualTo(new VersionPolicy.Latest(3));
    assertThat(VersionPolicy.of(ModelVersionPolicy.newBuilder()
        .setAll(ModelVersionPolicy.All.getDefaultInstance()).build())).isEqualTo(new VersionPolicy.All());
    assertThat(VersionPolicy.of(ModelVersionPolicy.newBuilder()
        .setSpecific(ModelVersionPolicy.Specific.newBuilder().addVersions(4)).build()))
        .isEqualTo(new VersionPolicy.Specific(List.of(4L)));
  }

  @Test
  void availableVersionsAreNumericDirectoriesHoldingTheModelFile(@TempDir Path model) throws Exception {
    for (String name : List.of("1", "2", "10", "latest", "3")) {
      Files.createDirectories(model.resolve(name));
    }
    for (String name : List.of("1", "10", "latest")) {
      Files.writeString(model.resolve(name).resolve("model.onnx"), "x");
    }
    Files.writeString(model.resolve("3").resolve("other.onnx"), "x");

    assertThat(VersionPolicy.availableVersions(model, "model.onnx")).containsExactly(1L, 10L);
    assertThat(VersionPolicy.availableVersions(model, "other.onnx")).containsExactly(3L);
  }

  @Test
  void specificPolicyAndCustomModelFilenameDriveTheLoadedVersions(@TempDir Path repository) throws Exception {
    Path directory = TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4)
        + "version_policy { specific { versions: [1, 3] } }\n", 1, 2, 3);

    assertThat(ModelConfigLoader.load(directory).versions()).containsExactly(1L, 3L);

    Files.writeString(directory.resolve("config.pbtxt"), TestModels.identityConfig("m", 4)
        + "version_policy { specific { versions: [1, 5] } }\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'm' config.pbtxt: version_policy.specific.versions: 5 (expected: one of [1, 2, 3], the version "
            + "directories holding model.onnx)");
  }
}
