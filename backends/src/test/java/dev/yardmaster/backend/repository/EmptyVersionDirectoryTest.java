package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over ONNX Runtime: a version directory without its model file is a version, as Triton's
 * {@code VersionsToLoad} lists it, and the version policy picks among all of them. A picked one
 * fails as Triton's onnxruntime backend fails it ({@code unable to find '.../2/model.onnx'}): the
 * model is UNAVAILABLE naming the missing file instead of an older version serving in silence, and
 * a model already serving keeps its versions.
 */
class EmptyVersionDirectoryTest {

  private static final String MODEL = "m";
  private static final String EXPECTED = " (expected: the version's ONNX model, named by default_model_filename, "
      + "model.onnx when the config sets none)";

  @TempDir Path repository;
  @AutoClose private RepositoryModelManager manager;

  @Test
  void latestPolicyPicksTheEmptyVersionAndTheModelIsUnavailableNamingItsFile() throws Exception {
    writeVersion(1);
    Files.createDirectories(repository.resolve(MODEL).resolve("2"));

    manager = start();

    String reason = missing(2);
    assertThat(manager.isReady(MODEL, "")).isFalse();
    assertThatThrownBy(() -> manager.resolve(MODEL, ""))
        .hasMessage("model 'm' has no available versions: " + reason)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry(MODEL, "2", ModelIndexEntry.UNAVAILABLE, reason));
    assertThatThrownBy(() -> manager.load(MODEL)).as("the load API's answer")
        .hasMessage(reason)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);
  }

  @Test
  void allPolicyFailsTheModelAndUnloadsTheVersionThatOpened() throws Exception {
    writeVersion(1);
    Files.createDirectories(repository.resolve(MODEL).resolve("2"));
    writeConfig("version_policy { all { } }\n");

    manager = start();

    assertThat(manager.isReady(MODEL, "")).isFalse();
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry(MODEL, "1", ModelIndexEntry.UNAVAILABLE, "unloaded"),
        new ModelIndexEntry(MODEL, "2", ModelIndexEntry.UNAVAILABLE, missing(2)));
  }

  @Test
  void specificPolicyServesTheListedVersionBesideAnEmptyOne() throws Exception {
    writeVersion(1);
    Files.createDirectories(repository.resolve(MODEL).resolve("2"));
    writeConfig("version_policy { specific { versions: [1] } }\n");

    manager = start();

    assertThat(manager.index(false)).containsExactly(new ModelIndexEntry(MODEL, "1", ModelIndexEntry.READY, ""));
    assertThat(ModelWarmupTest.sumOfOnes(manager, MODEL)).isEqualTo("1");
  }

  @Test
  void servingModelKeepsItsVersionWhenAnEmptyNewerVersionAppears() throws Exception {
    writeVersion(1);
    manager = start();
    assertThat(ModelWarmupTest.sumOfOnes(manager, MODEL)).isEqualTo("1");

    Files.createDirectories(repository.resolve(MODEL).resolve("3"));
    assertThatThrownBy(() -> manager.load(MODEL)).hasMessage(missing(3));

    assertThat(ModelWarmupTest.sumOfOnes(manager, MODEL)).as("version 1 keeps serving").isEqualTo("1");
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry(MODEL, "1", ModelIndexEntry.READY, ""),
        new ModelIndexEntry(MODEL, "3", ModelIndexEntry.UNAVAILABLE, missing(3)));

    writeVersion(3);
    manager.load(MODEL);
    assertThat(ModelWarmupTest.sumOfOnes(manager, MODEL)).isEqualTo("3");
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry(MODEL, "1", ModelIndexEntry.UNAVAILABLE, "unloaded"),
        new ModelIndexEntry(MODEL, "3", ModelIndexEntry.READY, ""));
  }

  @Test
  void missingFileIsTheOneDefaultModelFilenameNames() throws Exception {
    writeVersion(1);
    Files.move(repository.resolve(MODEL).resolve("1").resolve("model.onnx"),
        repository.resolve(MODEL).resolve("1").resolve("other.onnx"));
    writeVersion(2);
    writeConfig("default_model_filename: \"other.onnx\"\n");

    manager = start();

    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry(MODEL, "2", ModelIndexEntry.UNAVAILABLE, missing(2, "other.onnx")));
  }

  private RepositoryModelManager start() {
    return new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(), Schedulers.factory(),
        RepositoryOptions.loadAllModels());
  }

  /** Version {@code version} of {@code m}: the demo add_sub model, no config (auto-complete reads it). */
  private void writeVersion(long version) throws Exception {
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB),
        repository.resolve(MODEL).resolve(Long.toString(version)).resolve("model.onnx"));
  }

  private void writeConfig(String config) throws Exception {
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"), config);
  }

  private String missing(long version) {
    return missing(version, "model.onnx");
  }

  private String missing(long version, String modelFilename) {
    return "model 'm' version " + version + ": model file '"
        + repository.resolve(MODEL).resolve(Long.toString(version)).resolve(modelFilename) + "' not found" + EXPECTED;
  }
}
