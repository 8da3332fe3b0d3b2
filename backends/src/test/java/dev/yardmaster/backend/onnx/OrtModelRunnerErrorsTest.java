package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtModelRunnerErrorsTest {
  @TempDir Path dir;

  @Test
  void corruptModelFileFailsNamingModelAndFile() throws IOException {
    Path file = dir.resolve("broken/1/model.onnx");
    Files.createDirectories(file.getParent());
    Files.write(file, "this is not an onnx model".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> OrtModelRunner.open("broken", file, OrtRunnerOptions.defaults()))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INTERNAL))
        .hasMessageContaining("model 'broken'")
        .hasMessageContaining(file.toString());
  }

  @Test
  void missingModelFileFailsNamingTheFile() {
    Path file = dir.resolve("absent/1/model.onnx");

    assertThatThrownBy(() -> OrtModelRunner.open("absent", file, OrtRunnerOptions.defaults()))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("model 'absent' file: " + file);
  }

  @Test
  void factoryNamesModelAndVersionAndRunsOnCpuHere() throws IOException {
    Path file = dir.resolve("add_sub/1/model.onnx");
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), file);
    ModelSpec spec =
        new ModelSpec(
            "add_sub",
            "1",
            "onnxruntime_onnx",
            64,
            List.of(),
            List.of(),
            DemoModels.config("add_sub", false));

    try (ModelRunner runner = OrtRunnerFactory.withDefaults().open(spec, file)) {
      assertThat(runner.kind()).isIn("onnxruntime-cpu", "onnxruntime-cuda");
      Tensor wrongType = Tensor.of("INPUT0", DataType.INT32, new long[] {1, 16}, new byte[64]);
      Tensor input1 = Tensor.ofFloats("INPUT1", new long[] {1, 16}, new float[16]);

      assertThatThrownBy(
              () -> runner.run(Map.of("INPUT0", wrongType, "INPUT1", input1), List.of("OUTPUT0")))
          .isInstanceOfSatisfying(
              InferenceException.class,
              e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INTERNAL))
          .hasMessageStartingWith("model 'add_sub/1' onnxruntime run: ");
    }
    try (ModelRunner cpu =
        new OrtRunnerFactory(OrtRunnerOptions.defaults().cpuOnly()).open(spec, file)) {
      assertThat(cpu.kind()).isEqualTo("onnxruntime-cpu");
    }
  }

  @Test
  void factoryRejectsAConfigTensorTheModelLacks() throws IOException {
    Path file = dir.resolve("add_sub/1/model.onnx");
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), file);
    ModelSpec spec =
        new ModelSpec(
            "add_sub",
            "1",
            "onnxruntime_onnx",
            64,
            List.of(
                new TensorSpec("INPUT0", DataType.FP32, new long[] {16}),
                new TensorSpec("INPUT9", DataType.FP32, new long[] {16})),
            List.of(),
            DemoModels.config("add_sub", false));

    assertThatThrownBy(() -> OrtRunnerFactory.withDefaults().open(spec, file))
        .isInstanceOfSatisfying(
            InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
        .hasMessage(
            "model 'add_sub/1' config input: 'INPUT9' (expected: one of [INPUT0, INPUT1] in"
                + " model.onnx)");
  }

  @Test
  void truncatedBytesElementIsAnInvalidArgument() throws IOException {
    try (OrtModelRunner runner = identity(DataType.BYTES)) {
      ByteBuffer data =
          ByteBuffer.allocate(6)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putInt(5)
              .put((byte) 'a')
              .put((byte) 'b')
              .flip();
      Tensor input = Tensor.of("INPUT0", DataType.BYTES, new long[] {1, 1}, data);

      assertThatThrownBy(() -> runner.run(Map.of("INPUT0", input), List.of("OUTPUT0")))
          .isInstanceOfSatisfying(
              InferenceException.class,
              e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
          .hasMessage(
              "model 'identity_bytes' input 'INPUT0' BYTES element 0 length: 5 (expected: <= 2"
                  + " bytes left)");
    }
  }

  @Test
  void byteSizeNotMatchingShapeIsAnInvalidArgument() throws IOException {
    try (OrtModelRunner runner = identity(DataType.FP32)) {
      Tensor input = Tensor.of("INPUT0", DataType.FP32, new long[] {2, 2}, new byte[12]);

      assertThatThrownBy(() -> runner.run(Map.of("INPUT0", input), List.of("OUTPUT0")))
          .isInstanceOf(InferenceException.class)
          .hasMessage(
              "model 'identity_fp32' input 'INPUT0' byte size: 12 (expected: 16 for FP32 [2, 2])");
    }
  }

  @Test
  void unsignedWideTypesAreUnimplemented() throws IOException {
    try (OrtModelRunner runner = identity(DataType.INT32)) {
      Tensor input = Tensor.of("INPUT0", DataType.UINT32, new long[] {1, 1}, new byte[4]);

      assertThatThrownBy(() -> runner.run(Map.of("INPUT0", input), List.of("OUTPUT0")))
          .isInstanceOfSatisfying(
              InferenceException.class,
              e -> assertThat(e.status()).isEqualTo(InferenceException.Status.UNIMPLEMENTED))
          .hasMessageContaining("datatype: UINT32");
    }
  }

  @Test
  void initializerWithWrongValueCountIsRejected() {
    assertThatThrownBy(
            () ->
                OnnxGraphBuilder.graph("g").floatInitializer("W", new long[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initializer 'W' values: 5 (expected: 6)");
  }

  private OrtModelRunner identity(DataType type) throws IOException {
    String name = DemoModels.identityModelName(type);
    Path file = dir.resolve(name).resolve("1/model.onnx");
    OnnxGraphBuilder.write(DemoModels.model(name), file);
    return OrtModelRunner.open(name, file, OrtRunnerOptions.defaults());
  }
}
