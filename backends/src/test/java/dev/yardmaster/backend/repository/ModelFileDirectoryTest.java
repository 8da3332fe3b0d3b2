package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.onnx.OnnxExternalData;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over ONNX Runtime: as Triton's onnxruntime backend, when the path {@code default_model_filename}
 * names in a version directory is a directory, the version's model is the {@code model.onnx} inside
 * it, its external data beside it ({@code 1/model.onnx/model.onnx}, {@code 1/model.onnx/weights.bin});
 * a directory without one fails that version naming the file it looked for, and a change inside the
 * directory reopens the version on the next load.
 */
class ModelFileDirectoryTest {

  /** Declares the affine model's tensors, so the config needs nothing from the model file. */
  private static final String AFFINE_CONFIG = """
      max_batch_size: 4
      input [ { name: "x" data_type: TYPE_FP32 dims: [ 4 ] } ]
      output [ { name: "y" data_type: TYPE_FP32 dims: [ 4 ] } ]
      """;

  @TempDir Path repository;
  @AutoClose private RepositoryModelManager manager;

  @Test
  void modelOnnxDirectoryServesTheModelInsideWithItsExternalData() throws Exception {
    Path directory = versionDirectory("m").resolve("model.onnx");
    OnnxExternalData.write(AffineModels.model(1), directory.resolve("model.onnx"), AffineModels.WEIGHTS_FILE);

    manager = start();

    assertThat(manager.index(false)).containsExactly(new ModelIndexEntry("m", "1", ModelIndexEntry.READY, ""));
    assertThat(manager.resolve("m", "").spec().config().getInputList()).as("auto-completed from the graph inside")
        .hasSize(1);
    assertThat(AffineModels.infer(manager, "m")).containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  @Test
  void defaultModelFilenameNamingADirectoryServesTheModelOnnxInside() throws Exception {
    Path model = versionDirectory("m").getParent();
    OnnxGraphBuilder.write(AffineModels.model(1), model.resolve("1").resolve("net.onnx").resolve("model.onnx"));
    Files.writeString(model.resolve("config.pbtxt"), "default_model_filename: \"net.onnx\"\n");

    manager = start();

    assertThat(AffineModels.infer(manager, "m")).containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  @Test
  void directoryWithoutModelOnnxFailsTheVersionNamingWhatWasExpectedWhileOthersServe() throws Exception {
    OnnxGraphBuilder.write(AffineModels.model(1), versionDirectory("other").resolve("model.onnx"));
    Path named = versionDirectory("m").resolve("model.onnx");
    OnnxGraphBuilder.write(AffineModels.model(1), named.resolve("affine.onnx"));
    Files.writeString(named.getParent().getParent().resolve("config.pbtxt"), AFFINE_CONFIG);

    manager = start();

    String reason = "model 'm' version 1: model file '" + named.resolve("model.onnx") + "' not found (expected: '"
        + named + "', a directory named by default_model_filename, to hold the version's ONNX model as "
        + "model.onnx, its external data beside it)";
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("m", "1", ModelIndexEntry.UNAVAILABLE, reason),
        new ModelIndexEntry("other", "1", ModelIndexEntry.READY, ""));
    assertThatThrownBy(() -> manager.load("m")).hasMessage(reason)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);
    assertThat(AffineModels.infer(manager, "other")).containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  @Test
  void directoryWithoutModelOnnxAndNoConfigFailsTheModelNamingWhatWasExpected() throws Exception {
    Path named = versionDirectory("m").resolve("model.onnx");
    Files.createDirectories(named);

    manager = start();

    assertThat(manager.isReady("m", "")).isFalse();
    assertThatThrownBy(() -> manager.load("m")).hasMessageContaining("version 1: model file '"
        + named.resolve("model.onnx") + "' not found (expected: '" + named + "', a directory named by "
        + "default_model_filename");
  }

  @Test
  void replacedWeightsInsideTheDirectoryServeAfterALoad() throws Exception {
    Path directory = versionDirectory("m").resolve("model.onnx");
    OnnxExternalData.write(AffineModels.model(1), directory.resolve("model.onnx"), AffineModels.WEIGHTS_FILE);
    manager = start();
    ServedModel first = manager.resolve("m", "1");
    manager.load("m");
    assertThat(manager.resolve("m", "1")).as("nothing changed: kept").isSameAs(first);

    Files.write(directory.resolve(AffineModels.WEIGHTS_FILE), AffineModels.externalData(2));
    manager.load("m");

    assertThat(manager.resolve("m", "1")).isNotSameAs(first);
    assertThat(AffineModels.infer(manager, "m")).containsExactly(AffineModels.expected(2), within(1e-5f));
  }

  private RepositoryModelManager start() {
    return AffineModels.serve(repository);
  }

  private Path versionDirectory(String model) throws Exception {
    return AffineModels.versionOne(repository, model);
  }
}
