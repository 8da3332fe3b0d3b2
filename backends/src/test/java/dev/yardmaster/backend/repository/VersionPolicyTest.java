package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.ModelConfig;
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
    assertThat(VersionPolicy.of(ModelConfig.getDefaultInstance())).isEqualTo(new VersionPolicy.Latest(1));
    assertThat(VersionPolicy.of(ModelConfig.newBuilder().setVersionPolicy(ModelVersionPolicy.getDefaultInstance())
        .build())).as("an empty version_policy {}: all, as Triton's VersionsToLoad").isEqualTo(new VersionPolicy.All());
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
  void everyNumericDirectoryIsAVersionWhateverItHoldsAsTritonsVersionsToLoad(@TempDir Path model) throws Exception {
    for (String name : List.of("1", "2", "10", "latest", "3")) {
      Files.createDirectories(model.resolve(name));
    }
    for (String name : List.of("1", "10", "latest")) {
      Files.writeString(model.resolve(name).resolve("model.onnx"), "x");
    }
    Files.writeString(model.resolve("3").resolve("other.onnx"), "x");

    // 2 is empty and 3 holds another file: versions still, which fail to load if selected
    assertThat(VersionPolicy.versionDirectories(model).versions()).containsExactly(1L, 2L, 3L, 10L);
  }

  @Test
  void versionDirectoriesAreNamedAsTritonReadsThem(@TempDir Path model) throws Exception {
    for (String name : List.of("0", "7", "01", "007", "+8", "-9", "5a", "99999999999999999999", "latest", "warmup",
        "configs", ".hidden")) {
      Files.createDirectories(model.resolve(name));
      Files.writeString(model.resolve(name).resolve("model.onnx"), "x");
    }

    VersionPolicy.VersionDirectories directories = VersionPolicy.versionDirectories(model);

    assertThat(directories.versions()).containsExactly(0L, 7L);
    assertThat(directories.ignored()).containsExactly(
        "version directory '+8' ignored (expected: a version number, digits only, e.g. 1)",
        "version directory '-9' ignored (expected: a version number, digits only, e.g. 1)",
        "version directory '007' ignored: leading zeros (expected: 7, as Triton ignores '007' too)",
        "version directory '01' ignored: leading zeros (expected: 1, as Triton ignores '01' too)",
        "version directory '5a' ignored (expected: a version number, digits only, e.g. 1)",
        "version directory '99999999999999999999' ignored (expected: a version number <= 9223372036854775807)",
        "version directory 'latest' ignored (expected: a version number, digits only, e.g. 1)");
  }

  @Test
  void specificPolicyAndCustomModelFilenameDriveTheLoadedVersions(@TempDir Path repository) throws Exception {
    Path directory = TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4)
        + "version_policy { specific { versions: [1, 3] } }\n", 1, 2, 3);

    assertThat(ModelConfigLoader.load(directory).versions()).containsExactly(1L, 3L);

    // as Triton: a listed version without a directory is noted and the others load
    Files.writeString(directory.resolve("config.pbtxt"), TestModels.identityConfig("m", 4)
        + "version_policy { specific { versions: [1, 5] } }\n");
    ModelDefinition partial = ModelConfigLoader.load(directory);
    assertThat(partial.versions()).containsExactly(1L);
    assertThat(partial.notes()).contains("version_policy.specific.versions: 5 not loaded: no version directory "
        + "'5' (expected: one of [1, 2, 3])");

    // ... and the model fails when none is left
    Files.writeString(directory.resolve("config.pbtxt"), TestModels.identityConfig("m", 4)
        + "version_policy { specific { versions: [5, 6] } }\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'm' config.pbtxt: version_policy.specific.versions: [5, 6] (expected: at least one of [1, 2, 3], "
            + "the version directories)");
  }

  @Test
  void emptyVersionPolicyServesEveryVersionAndStaysEmptyInTheConfig(@TempDir Path repository) throws Exception {
    Path directory = TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4)
        + "version_policy { }\n", 1, 2, 3);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.versions()).containsExactly(1L, 2L, 3L);
    assertThat(definition.config().hasVersionPolicy()).isTrue();
    assertThat(definition.config().getVersionPolicy().getPolicyChoiceCase())
        .isEqualTo(ModelVersionPolicy.PolicyChoiceCase.POLICYCHOICE_NOT_SET);

    Files.writeString(directory.resolve("config.pbtxt"), TestModels.identityConfig("m", 4));
    assertThat(ModelConfigLoader.load(directory).versions()).as("no version_policy: latest 1").containsExactly(3L);
  }

  @Test
  void leadingZeroDirectoriesAreNotVersions(@TempDir Path repository) throws Exception {
    Path directory = TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4)
        + "version_policy { all { } }\n", 2);
    Files.createDirectories(directory.resolve("03"));
    Files.copy(directory.resolve("2").resolve("model.onnx"), directory.resolve("03").resolve("model.onnx"));

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.versions()).containsExactly(2L);
    assertThat(definition.notes()).contains(
        "version directory '03' ignored: leading zeros (expected: 3, as Triton ignores '03' too)");
  }

  @Test
  void emptyNewestVersionIsSelectedAndTheConfigIsCompletedFromAnOlderOne(@TempDir Path repository) throws Exception {
    Path directory = TestModels.writeModel(repository, "m", null, 1);
    Files.createDirectories(directory.resolve("2"));

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.versions()).as("2 is picked; opening it fails, naming its file").containsExactly(2L);
    assertThat(definition.config().getInput(0).getName()).isEqualTo("input");
    assertThat(definition.notes()).contains("auto-completed from 1/model.onnx: max_batch_size 4, dynamic_batching {}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> definition.requireModelFile(2)).hasMessage(
        "model 'm' version 2: model file '" + directory.resolve("2").resolve("model.onnx") + "' not found (expected: "
            + "the version's ONNX model, named by default_model_filename, model.onnx when the config sets none)");
  }

  @Test
  void withoutAnyModelFileToCompleteFromTheConfigErrorNamesTheMissingFile(@TempDir Path repository) throws Exception {
    Path directory = Files.createDirectories(repository.resolve("m").resolve("1")).getParent();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'm' config.pbtxt: version 1: model file '" + directory.resolve("1").resolve("model.onnx")
            + "' not found (expected: the version's ONNX model, named by default_model_filename, model.onnx when the "
            + "config sets none)\n"
            + "model 'm' config.pbtxt: input: none (expected: at least one input)\n"
            + "model 'm' config.pbtxt: output: none (expected: at least one output)");
  }
}
