package dev.yardmaster.backend.repository;

import static dev.yardmaster.backend.repository.TestModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Triton's {@code qa/L0_model_config} ONNX cases, {@code autofill_noplatform/onnx/*} and
 * {@code autofill_noplatform_success/onnx/*}: each writes the case's config and an ONNX model with
 * the signature of Triton's test model ({@code INPUT0}, {@code INPUT1} INT32 and {@code OUTPUT0},
 * {@code OUTPUT1} INT8, each [-1, 16], or [16] for the non-batching cases). Error cases check that
 * the load is refused and that the message names the field Triton's {@code expected} names (the
 * wording is ours); success cases check the completed config against Triton's {@code expected} on
 * the fields Yardmaster models. Triton's expected configs come from a GPU host ({@code KIND_GPU},
 * count 1); here the host has none unless a test says otherwise.
 */
class TritonL0ModelConfigTest {

  @TempDir Path repository;

  /** Triton's onnx_int32_int8_int8 signature: batchable when {@code batched}. */
  static ModelProto qaModel(boolean batched) {
    Object[] dims = batched ? new Object[] {"batch", 16L} : new Object[] {16L};
    return TestModels.onnx(
        List.of(valueInfo("INPUT0", TensorProto.DataType.INT32_VALUE, dims),
            valueInfo("INPUT1", TensorProto.DataType.INT32_VALUE, dims)),
        List.of(valueInfo("OUTPUT0", TensorProto.DataType.INT8_VALUE, dims),
            valueInfo("OUTPUT1", TensorProto.DataType.INT8_VALUE, dims)));
  }

  /** The full config of the qa model as Triton's error cases start from it, max_batch_size 1. */
  private static String qaConfig(String input0Dims, String input1Type, String output0Type, String output1Dims) {
    return """
        max_batch_size: 1
        input [
          { name: "INPUT0" data_type: TYPE_INT32 dims: %s },
          { name: "INPUT1" data_type: %s dims: [ 16 ] }
        ]
        output [
          { name: "OUTPUT0" data_type: %s dims: [ 16 ] },
          { name: "OUTPUT1" data_type: TYPE_INT8 dims: %s }
        ]
        """.formatted(input0Dims, input1Type, output0Type, output1Dims);
  }

  static Stream<Arguments> refusedCases() {
    return Stream.of(
        // autofill_noplatform/onnx/bad_input_dims: "tensor 'INPUT0' shape expected by framework [16]
        // doesn't match model configuration shape [16,1]"
        refused("bad_input_dims", qaConfig("[ 16, 1 ]", "TYPE_INT32", "TYPE_INT8", "[ 16 ]"), qaModel(true),
            "input 'INPUT0' dims: [16, 1] (expected: [16]"),
        // autofill_noplatform/onnx/bad_input_type: "input 'INPUT1' data-type TYPE_INT32 doesn't match
        // configuration data-type TYPE_FP32" (config reconstructed from the message)
        refused("bad_input_type", qaConfig("[ 16 ]", "TYPE_FP32", "TYPE_INT8", "[ 16 ]"), qaModel(true),
            "input 'INPUT1' data_type: TYPE_FP32 (expected: TYPE_INT32"),
        // autofill_noplatform/onnx/bad_output_dims: "tensor 'OUTPUT1' shape expected by framework [16]
        // doesn't match model configuration shape [1]" (config reconstructed from the message)
        refused("bad_output_dims", qaConfig("[ 16 ]", "TYPE_INT32", "TYPE_INT8", "[ 1 ]"), qaModel(true),
            "output 'OUTPUT1' dims: [1] (expected: [16]"),
        // autofill_noplatform/onnx/bad_output_type: "unexpected datatype TYPE_INT8 for output
        // 'OUTPUT0', expecting TYPE_INT16" (config reconstructed from the message)
        refused("bad_output_type", qaConfig("[ 16 ]", "TYPE_INT32", "TYPE_INT16", "[ 16 ]"), qaModel(true),
            "output 'OUTPUT0' data_type: TYPE_INT16 (expected: TYPE_INT8"),
        // autofill_noplatform/onnx/bad_max_batch_size: "autofill failed for model
        // 'bad_max_batch_size': model does not support batching while non-zero max_batch_size is specified"
        refused("bad_max_batch_size", """
            max_batch_size: 1
            input [
              { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
              { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] }
            ]
            """, qaModel(false), "with max_batch_size > 0 (expected:"),
        // autofill_noplatform/onnx/too_many_inputs: INPUT_EXTRA is not an input of the model
        refused("too_many_inputs", """
            max_batch_size: 1
            input [
              { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
              { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] },
              { name: "INPUT_EXTRA" data_type: TYPE_INT32 dims: [ 16 ] }
            ]
            output [
              { name: "OUTPUT0" data_type: TYPE_INT8 dims: [ 16 ] },
              { name: "OUTPUT1" data_type: TYPE_INT8 dims: [ 16 ] }
            ]
            """, qaModel(true), "input 'INPUT_EXTRA' name: not an input of 1/model.onnx"),
        // autofill_noplatform/onnx/unknown_input: "unexpected inference input 'INPUT_UNKNOWN', allowed
        // inputs are: INPUT0, INPUT1" (config reconstructed from the message)
        refused("unknown_input", """
            max_batch_size: 1
            input [
              { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
              { name: "INPUT_UNKNOWN" data_type: TYPE_INT32 dims: [ 16 ] }
            ]
            output [
              { name: "OUTPUT0" data_type: TYPE_INT8 dims: [ 16 ] },
              { name: "OUTPUT1" data_type: TYPE_INT8 dims: [ 16 ] }
            ]
            """, qaModel(true), "input 'INPUT_UNKNOWN' name: not an input of 1/model.onnx (expected: one of [INPUT0, "
            + "INPUT1])"),
        // autofill_noplatform/onnx/unknown_output
        refused("unknown_output", """
            max_batch_size: 1
            input [
              { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
              { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] }
            ]
            output [ { name: "OUTPUT_UNKNOWN" data_type: TYPE_INT8 dims: [ 16 ] } ]
            """, qaModel(true), "output 'OUTPUT_UNKNOWN' name: not an output of 1/model.onnx (expected: one of "
            + "[OUTPUT0, OUTPUT1])"));
  }

  private static Arguments refused(String tritonCase, @Nullable String config, ModelProto model, String problem) {
    return Arguments.of(Named.of(tritonCase, tritonCase), config, model, problem);
  }

  @ParameterizedTest(name = "autofill_noplatform/onnx/{0}")
  @MethodSource("refusedCases")
  void refusesAsTritonDoes(String tritonCase, @Nullable String config, ModelProto model, String problem) {
    Path directory = write(tritonCase, config, model);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("model '" + tritonCase + "' config.pbtxt: ")
        .hasMessageContaining(problem);
  }

  // autofill_noplatform_success/onnx/no_config: no config.pbtxt at all
  @Test
  void noConfigIsCompletedFromTheBatchingModel() {
    ModelConfig config = ModelConfigLoader.load(write("no_config", null, qaModel(true))).config();

    assertThat(config.getName()).isEqualTo("no_config");
    assertBatchingQaModel(config, 4);
    assertThat(config.getDynamicBatching()).isEqualTo(ModelDynamicBatching.getDefaultInstance());
    assertThat(config.getInstanceGroupList()).containsExactly(group("no_config", ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  // autofill_noplatform_success/onnx/no_config on a host with GPUs, as Triton's expected was made:
  // instance_group { name: "no_config" count: 1 kind: KIND_GPU }
  @Test
  void noConfigOnAGpuHostGetsOneGpuInstanceNamedAfterTheModel() {
    ModelConfig config = ModelConfigLoader.load(write("no_config", null, qaModel(true)), LoadParameters.none(), true)
        .config();

    assertThat(config.getInstanceGroupList()).containsExactly(group("no_config", ModelInstanceGroup.Kind.KIND_GPU, 1));
  }

  // autofill_noplatform_success/onnx/empty_config: an empty config.pbtxt
  @Test
  void emptyConfigIsCompletedAsNoConfig() {
    ModelConfig config = ModelConfigLoader.load(write("empty_config", "", qaModel(true))).config();

    assertThat(config.getName()).isEqualTo("empty_config");
    assertBatchingQaModel(config, 4);
    assertThat(config.hasDynamicBatching()).isTrue();
    assertThat(config.getInstanceGroupList())
        .containsExactly(group("empty_config", ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  // autofill_noplatform_success/onnx/no_name_platform: a full config without name and platform
  // (config reconstructed: the stored expected only shows the result)
  @Test
  void nameAndPlatformComeFromTheDirectoryAndTheModelFile() {
    ModelConfig config = ModelConfigLoader.load(write("no_name_platform",
        qaConfig("[ 16 ]", "TYPE_INT32", "TYPE_INT8", "[ 16 ]"), qaModel(true))).config();

    assertThat(config.getName()).isEqualTo("no_name_platform");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getBackend()).isEqualTo("onnxruntime");
    assertBatchingQaModel(config, 1);
    assertThat(config.hasDynamicBatching()).isFalse();
    assertThat(config.getInstanceGroupList())
        .containsExactly(group("no_name_platform", ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  // autofill_noplatform_success/onnx/no_config_no_batch: config.pbtxt holds only
  // instance_group [ { kind: KIND_CPU } ]; the model has no batch dimension
  @Test
  void nonBatchingModelKeepsMaxBatchSizeZeroAndItsFullDims() {
    ModelConfig config = ModelConfigLoader.load(write("no_config_no_batch",
        "instance_group [ { kind: KIND_CPU } ]", qaModel(false))).config();

    assertThat(config.getMaxBatchSize()).isZero();
    assertThat(config.hasDynamicBatching()).isFalse();
    assertQaTensors(config);
    assertThat(config.getInstanceGroupList())
        .containsExactly(group("no_config_no_batch_0", ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  // autofill_noplatform_success/onnx/cpu_instance: a full config, max_batch_size 4, dynamic_batching {}
  // and instance_group { name: "cpu_instance" kind: KIND_CPU }; expected count 2
  @Test
  void cpuInstanceGroupWithoutCountGetsTwoInstances() {
    String config = """
        name: "cpu_instance"
        platform: "onnxruntime_onnx"
        version_policy { latest { num_versions: 1 } }
        max_batch_size: 4
        input { name: "INPUT0" data_type: TYPE_INT32 dims: 16 }
        input { name: "INPUT1" data_type: TYPE_INT32 dims: 16 }
        output { name: "OUTPUT0" data_type: TYPE_INT8 dims: 16 }
        output { name: "OUTPUT1" data_type: TYPE_INT8 dims: 16 }
        instance_group { name: "cpu_instance" kind: KIND_CPU }
        dynamic_batching { }
        default_model_filename: "model.onnx"
        backend: "onnxruntime"
        """;

    ModelConfig loaded = ModelConfigLoader.load(write("cpu_instance", config, qaModel(true))).config();

    assertBatchingQaModel(loaded, 4);
    assertThat(loaded.hasDynamicBatching()).isTrue();
    assertThat(loaded.getInstanceGroupList())
        .containsExactly(group("cpu_instance", ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  // autofill_noplatform_success/onnx/max_batch_size_set: config.pbtxt holds max_batch_size: 8
  // (config reconstructed from the case name and expected). Expected: max_batch_size 8, dims [16];
  // the stored expected predates onnxruntime_backend's AutoCompleteMaxBatch, which adds
  // dynamic_batching {} above 1 when there is no scheduler.
  @Test
  void setMaxBatchSizeIsKeptAndTheTensorsComeFromTheModel() {
    ModelConfig config = ModelConfigLoader.load(write("max_batch_size_set", "max_batch_size: 8", qaModel(true)))
        .config();

    assertBatchingQaModel(config, 8);
    assertThat(config.hasDynamicBatching()).isTrue();
  }

  private static void assertBatchingQaModel(ModelConfig config, int maxBatchSize) {
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getMaxBatchSize()).isEqualTo(maxBatchSize);
    assertThat(config.getDefaultModelFilename()).isEqualTo("model.onnx");
    assertThat(config.getVersionPolicy().getLatest().getNumVersions()).isEqualTo(1);
    assertQaTensors(config);
  }

  private static void assertQaTensors(ModelConfig config) {
    assertThat(config.getInputList()).containsExactly(
        ModelInput.newBuilder().setName("INPUT0").setDataType(DataType.TYPE_INT32).addDims(16).build(),
        ModelInput.newBuilder().setName("INPUT1").setDataType(DataType.TYPE_INT32).addDims(16).build());
    assertThat(config.getOutputList()).containsExactly(
        ModelOutput.newBuilder().setName("OUTPUT0").setDataType(DataType.TYPE_INT8).addDims(16).build(),
        ModelOutput.newBuilder().setName("OUTPUT1").setDataType(DataType.TYPE_INT8).addDims(16).build());
  }

  static ModelInstanceGroup group(String name, ModelInstanceGroup.Kind kind, int count) {
    return ModelInstanceGroup.newBuilder().setName(name).setKind(kind).setCount(count).build();
  }

  /** Writes {@code repository/name} with {@code config} (none when null) and version 1's model. */
  private Path write(String name, @Nullable String config, ModelProto model) {
    return writeCase(repository, name, config, model);
  }

  static Path writeCase(Path repository, String name, @Nullable String config, ModelProto model) {
    try {
      Path directory = Files.createDirectories(repository.resolve(name));
      if (config != null) {
        Files.writeString(directory.resolve(ModelConfigLoader.CONFIG_FILE), config);
      }
      TestModels.writeOnnx(directory.resolve("1").resolve("model.onnx"), model);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
