package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.onnx.OnnxExternalData;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over ONNX Runtime: a version whose {@code model.onnx} keeps its weights in an external data file
 * beside it (ONNX's {@code data_location: EXTERNAL}) loads through the repository as the same model
 * with embedded weights does: the config auto-completes from the graph alone, the session reads the
 * file relative to the model's directory, and replacing the file then loading again serves the new
 * weights.
 */
class ExternalDataModelTest {

  @TempDir Path repository;
  @AutoClose private RepositoryModelManager manager;

  @Test
  void externalDataModelAnswersAsTheSameModelWithEmbeddedWeights() throws Exception {
    OnnxGraphBuilder.write(AffineModels.model(1), versionDirectory("embedded").resolve("model.onnx"));
    Path modelFile = versionDirectory("external").resolve("model.onnx");
    OnnxExternalData.write(AffineModels.model(1), modelFile, AffineModels.WEIGHTS_FILE);

    manager = start();

    ModelProto written = ModelProto.parseFrom(Files.readAllBytes(modelFile));
    assertThat(written.getGraph().getInitializerList()).as("no weights in model.onnx").allSatisfy(tensor -> {
      assertThat(tensor.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
      assertThat(tensor.getRawData().isEmpty()).isTrue();
    });
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("embedded", "1", ModelIndexEntry.READY, ""),
        new ModelIndexEntry("external", "1", ModelIndexEntry.READY, ""));
    ModelConfig external = manager.resolve("external", "").spec().config();
    ModelConfig embedded = manager.resolve("embedded", "").spec().config();
    assertThat(external.getInputList()).as("auto-completed from the graph as the embedded model is")
        .isEqualTo(embedded.getInputList()).hasSize(1);
    assertThat(external.getOutputList()).isEqualTo(embedded.getOutputList()).hasSize(1);
    assertThat(external.getMaxBatchSize()).isEqualTo(embedded.getMaxBatchSize()).isEqualTo(4);
    assertThat(AffineModels.infer(manager, "external"))
        .containsExactly(AffineModels.infer(manager, "embedded"))
        .containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  @Test
  void replacedExternalDataServesTheNewWeightsAfterALoad() throws Exception {
    Path version = versionDirectory("external");
    OnnxExternalData.write(AffineModels.model(1), version.resolve("model.onnx"), AffineModels.WEIGHTS_FILE);
    manager = start();
    ServedModel first = manager.resolve("external", "1");
    assertThat(AffineModels.infer(manager, "external")).containsExactly(AffineModels.expected(1), within(1e-5f));

    manager.load("external");
    assertThat(manager.resolve("external", "1")).as("nothing changed: kept").isSameAs(first);

    // Same size, same model.onnx: only the weights file is rewritten in place.
    Files.write(version.resolve(AffineModels.WEIGHTS_FILE), AffineModels.externalData(2));
    manager.load("external");

    assertThat(manager.resolve("external", "1")).isNotSameAs(first);
    assertThat(AffineModels.infer(manager, "external")).containsExactly(AffineModels.expected(2), within(1e-5f));
  }

  @Test
  void missingExternalDataFileFailsTheVersionNamingItWhileOthersServe() throws Exception {
    OnnxGraphBuilder.write(AffineModels.model(1), versionDirectory("embedded").resolve("model.onnx"));
    Path version = versionDirectory("external");
    OnnxExternalData.write(AffineModels.model(1), version.resolve("model.onnx"), AffineModels.WEIGHTS_FILE);
    Files.delete(version.resolve(AffineModels.WEIGHTS_FILE));

    manager = start();

    assertThat(manager.isReady("external", "")).isFalse();
    assertThatThrownBy(() -> manager.load("external"))
        .hasMessageStartingWith("model 'external' version 1 failed to open: model 'external/1' file "
            + version.resolve("model.onnx"))
        .hasMessageContaining(AffineModels.WEIGHTS_FILE);
    assertThat(AffineModels.infer(manager, "embedded")).containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  private RepositoryModelManager start() {
    return AffineModels.serve(repository);
  }

  private Path versionDirectory(String model) throws Exception {
    return AffineModels.versionOne(repository, model);
  }
}
