package dev.yardmaster.backend.repository;

import static dev.yardmaster.backend.repository.TestModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigLoaderTest {

  @TempDir Path repository;

  private static final String TRITON_CONFIG = """
      name: "wide_mlp"
      platform: "onnxruntime_onnx"
      max_batch_size: 8
      input [
        {
          name: "input"
          data_type: TYPE_FP32
          dims: [ 4 ]
        }
      ]
      output [
        {
          name: "output"
          data_type: TYPE_FP32
          dims: [ 4 ]
        }
      ]
      # Triton fields Yardmaster does not model must not fail the load
      optimization { cuda { graphs: true } }
      model_warmup [ { name: "w" batch_size: 1 inputs { key: "input" value { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } } ]
      instance_group [ { count: 2 kind: KIND_CPU profile: [ "0", "1" ] } ]
      dynamic_batching {
        preferred_batch_size: [ 4, 8 ]
        max_queue_delay_microseconds: 100
        unknown_knob: 3
      }
      """;

  @Test
  void parsesTritonConfigAndNotesUnknownFields() throws Exception {
    Path directory = TestModels.writeModel(repository, "wide_mlp", TRITON_CONFIG, 1);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    ModelConfig config = definition.config();
    assertThat(config.getMaxBatchSize()).isEqualTo(8);
    assertThat(config.getDynamicBatching().getPreferredBatchSizeList()).containsExactly(4, 8);
    assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(100);
    assertThat(config.getInstanceGroup(0).getCount()).isEqualTo(2);
    assertThat(config.getInstanceGroup(0).getProfileList()).as("repeated, as Triton's").containsExactly("0", "1");
    assertThat(config.getModelWarmup(0).getInputsMap().get("input").getZeroData()).as("model_warmup, as given").isTrue();
    assertThat(definition.notes()).containsExactly(
        "config.pbtxt: optimization.cuda (line 19) is not supported by Yardmaster and was ignored",
        "config.pbtxt: dynamic_batching.unknown_knob (line 25) is not supported by Yardmaster and was ignored");
    assertThat(definition.versions()).containsExactly(1L);
    assertThat(definition.modelFile(1)).isEqualTo(directory.resolve("1").resolve("model.onnx"));
  }

  @Test
  void sequenceBatchingAndEnsembleSchedulingFailTheLoadNamingTheirLines() throws Exception {
    Path directory = TestModels.writeModel(repository, "wide_mlp", """
        max_batch_size: 8
        sequence_batching {
          control_input [ { name: "START" control [ { kind: CONTROL_SEQUENCE_START fp32_false_true: [ 0, 1 ] } ] } ]
        }
        ensemble_scheduling { step [ { model_name: "a" model_version: -1 } ] }
        """, 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("model 'wide_mlp' config.pbtxt: sequence_batching (line 2): not supported (expected: a"
            + " stateless model, with dynamic_batching or no scheduler: Yardmaster has no sequence batcher")
        .hasMessageContaining("model 'wide_mlp' config.pbtxt: ensemble_scheduling (line 5): not supported (expected:"
            + " one ONNX model: Yardmaster does not run ensembles)");
  }

  @Test
  void preserveOrderingIsReadWithoutANote() throws Exception {
    Path directory = TestModels.writeModel(repository, "wide_mlp",
        TRITON_CONFIG.replace("unknown_knob: 3", "preserve_ordering: true"), 1);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.config().getDynamicBatching().getPreserveOrdering()).isTrue();
    assertThat(definition.notes()).as("enforced by the dynamic batcher, so nothing to note")
        .noneMatch(note -> note.contains("preserve_ordering"));
  }

  @Test
  void specCarriesTensorsAndNormalizedConfig() {
    Path directory = TestModels.writeModel(repository, "wide_mlp", TRITON_CONFIG, 3);

    ModelSpec spec = ModelConfigLoader.load(directory).spec(3);

    assertThat(spec.name()).isEqualTo("wide_mlp");
    assertThat(spec.version()).isEqualTo("3");
    assertThat(spec.platform()).isEqualTo("onnxruntime_onnx");
    assertThat(spec.maxBatchSize()).isEqualTo(8);
    assertThat(spec.inputs()).extracting(Object::toString).containsExactly("input:FP32[4]");
    assertThat(spec.outputs()).extracting(Object::toString).containsExactly("output:FP32[4]");
    assertThat(spec.config().getVersionPolicy().getLatest().getNumVersions()).isEqualTo(1);
  }

  @Test
  void parseErrorNamesFileLineAndColumn() {
    Path directory = TestModels.writeModel(repository, "m", "name: \"m\"\nmax_batch_size: {\n", 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory))
        .isInstanceOf(InferenceException.class)
        .hasMessageStartingWith("model 'm' config.pbtxt:2:");
  }

  @Test
  void negativeUnsignedValueIsAParseErrorWithItsPosition() {
    Path directory = TestModels.writeModel(repository, "m",
        "max_batch_size: 4\ndynamic_batching { max_queue_delay_microseconds: -5 }\n", 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'm' config.pbtxt:2:50: dynamic_batching.max_queue_delay_microseconds: -5 (expected: >= 0)");
  }

  @Test
  void outOfRangeNumberInARepeatedMessageNamesItsPath() {
    Path directory = TestModels.writeModel(repository, "m", """
        input [
          { name: "a" data_type: TYPE_FP32 dims: [ 4 ] },
          { name: "b" data_type: TYPE_FP32 dims: [ 99999999999999999999 ] }
        ]
        """, 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'm' config.pbtxt:3:44: input.dims: 99999999999999999999 (expected: a 64-bit signed integer)");
  }

  @Test
  void autoCompletesBatchingModelFromOnnxWhenConfigIsAbsent() {
    Path directory = TestModels.writeModel(repository, "auto", null, 1);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    ModelConfig config = definition.config();
    assertThat(config.getName()).isEqualTo("auto");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getBackend()).isEqualTo("onnxruntime");
    assertThat(config.getMaxBatchSize()).isEqualTo(ModelConfigLoader.DEFAULT_MAX_BATCH_SIZE);
    assertThat(config.getInput(0).getName()).isEqualTo("input");
    assertThat(config.getInput(0).getDataType()).isEqualTo(dev.yardmaster.protocol.v2.DataType.TYPE_FP32);
    assertThat(config.getInput(0).getDimsList()).containsExactly(4L);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(4L);
    assertThat(config.getInstanceGroupList()).containsExactly(ModelInstanceGroup.newBuilder()
        .setName("auto").setCount(ModelConfigLoader.DEFAULT_CPU_INSTANCE_COUNT)
        .setKind(ModelInstanceGroup.Kind.KIND_CPU).build());
    assertThat(config.getDefaultModelFilename()).isEqualTo("model.onnx");
    assertThat(config.getDynamicBatching()).isEqualTo(dev.yardmaster.protocol.v2.ModelDynamicBatching.getDefaultInstance());
    assertThat(config.hasDynamicBatching()).isTrue();
    assertThat(definition.notes()).containsExactly(
        "auto-completed from 1/model.onnx: max_batch_size 4, dynamic_batching {}");
  }

  @Test
  void partialConfigWithOnlyInputsGetsOutputsMaxBatchSizeAndDynamicBatchingFromOnnx() {
    Path directory = TestModels.writeModel(repository, "inputs_only", """
        input [ { name: "input" data_type: TYPE_FP32 dims: [ 4 ] } ]
        """, 1);

    ModelConfig config = ModelConfigLoader.load(directory).config();

    assertThat(config.getMaxBatchSize()).isEqualTo(ModelConfigLoader.DEFAULT_MAX_BATCH_SIZE);
    assertThat(config.hasDynamicBatching()).isTrue();
    assertThat(config.getInputCount()).isEqualTo(1);
    assertThat(config.getOutput(0).getName()).isEqualTo("output");
    assertThat(config.getOutput(0).getDimsList()).containsExactly(4L);
  }

  @Test
  void partialConfigKeepsItsSchedulerAndMaxBatchSizeOneGetsNoDynamicBatching() {
    Path one = TestModels.writeModel(repository, "one", """
        max_batch_size: 1
        output [ { name: "output" data_type: TYPE_FP32 dims: [ 4 ] } ]
        """, 1);
    Path own = TestModels.writeModel(repository, "own", """
        max_batch_size: 8
        dynamic_batching { max_queue_delay_microseconds: 50 }
        """, 1);

    ModelConfig single = ModelConfigLoader.load(one).config();
    ModelConfig ownScheduler = ModelConfigLoader.load(own).config();

    assertThat(single.getMaxBatchSize()).isEqualTo(1);
    assertThat(single.hasDynamicBatching()).isFalse();
    assertThat(single.getInput(0).getDimsList()).containsExactly(4L);
    assertThat(ownScheduler.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(50);
    assertThat(ownScheduler.getInput(0).getDimsList()).containsExactly(4L);
  }

  @Test
  void batchedTensorOfTheBatchDimensionAloneGetsDimsOneAndAnEmptyReshape() {
    Path directory = repository.resolve("per_row");
    TestModels.writeOnnx(directory.resolve("1/model.onnx"), TestModels.onnx(
        List.of(valueInfo("x", TensorProto.DataType.FLOAT_VALUE, "batch")),
        List.of(valueInfo("y", TensorProto.DataType.FLOAT_VALUE, "batch"))));

    ModelConfig config = ModelConfigLoader.load(directory).config();

    assertThat(config.getMaxBatchSize()).isEqualTo(ModelConfigLoader.DEFAULT_MAX_BATCH_SIZE);
    assertThat(config.getInput(0).getDimsList()).containsExactly(1L);
    assertThat(config.getInput(0).hasReshape()).isTrue();
    assertThat(config.getInput(0).getReshape().getShapeList()).isEmpty();
    assertThat(config.getOutput(0).getDimsList()).containsExactly(1L);
    assertThat(config.getOutput(0).hasReshape()).isTrue();
  }

  @Test
  void configDeclaringInputsAndOutputsIsNotAutoCompleted() {
    Path directory = TestModels.writeModel(repository, "declared", TestModels.identityConfig("declared", 8), 1);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.config().hasDynamicBatching()).isFalse();
    assertThat(definition.notes()).isEmpty();
  }

  @Test
  void autoCompletesNonBatchingModelWhenAFirstDimIsFixedAndSkipsInitializers() {
    Path directory = repository.resolve("fixed");
    var model = TestModels.onnx(
        List.of(valueInfo("x", TensorProto.DataType.INT64_VALUE, 2L, "n"),
            valueInfo("weights", TensorProto.DataType.FLOAT_VALUE, 3L)),
        List.of(valueInfo("y", TensorProto.DataType.DOUBLE_VALUE, 2L, "n")));
    model = model.toBuilder().setGraph(model.getGraph().toBuilder()
        .addInitializer(TensorProto.newBuilder().setName("weights").addDims(3))).build();
    TestModels.writeOnnx(directory.resolve("1/model.onnx"), model);

    ModelSpec spec = ModelConfigLoader.load(directory).spec(1);

    assertThat(spec.maxBatchSize()).isZero();
    assertThat(spec.inputs()).extracting(Object::toString).containsExactly("x:INT64[2, -1]");
    assertThat(spec.outputs()).extracting(Object::toString).containsExactly("y:FP64[2, -1]");
  }

  @Test
  void declaredTensorsWithZeroMaxBatchSizeAreNotBatchedAndBackendOnnxruntimeIsAccepted() {
    Path directory = TestModels.writeModel(repository, "plain", """
        backend: "onnxruntime"
        input [ { name: "input" data_type: TYPE_FP32 dims: [ -1, 4 ] } ]
        output [ { name: "output" data_type: TYPE_FP32 dims: [ -1, 4 ] } ]
        """, 1);

    ModelDefinition definition = ModelConfigLoader.load(directory);

    assertThat(definition.config().getMaxBatchSize()).isZero();
    assertThat(definition.config().getPlatform()).isEqualTo("onnxruntime_onnx");
  }

  @Test
  void validationListsEveryProblemAtOnce() {
    Path directory = TestModels.writeModel(repository, "broken", """
        name: "other"
        input [
          { name: "input" data_type: TYPE_INVALID dims: [ 0, -3 ] },
          { name: "input" data_type: TYPE_FP32 dims: [ -1, 4 ] },
          { name: "ghost" data_type: TYPE_FP32 dims: [ 4 ] }
        ]
        output [ { name: "output" data_type: TYPE_FP64 dims: [ -1, 4 ] } ]
        instance_group [ { count: -1 } ]
        dynamic_batching { preferred_batch_size: [ 0 ] priority_levels: 2 default_priority_level: 3 }
        """, 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory))
        .isInstanceOf(InferenceException.class)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT)
        .hasMessage(String.join("\n",
            "model 'broken' config.pbtxt: name: 'other' (expected: 'broken', the directory name)",
            "model 'broken' config.pbtxt: input 'input' data_type: TYPE_INVALID (expected: a valid type such as TYPE_FP32)",
            "model 'broken' config.pbtxt: input 'input' dims[0]: 0 (expected: -1 or >= 1)",
            "model 'broken' config.pbtxt: input 'input' dims[1]: -3 (expected: -1 or >= 1)",
            "model 'broken' config.pbtxt: input 'input' name: duplicate (expected: unique among inputs and outputs)",
            "model 'broken' config.pbtxt: dynamic_batching: present (expected: absent when max_batch_size is 0, the model does not batch)",
            "model 'broken' config.pbtxt: dynamic_batching.preferred_batch_size: 0 (expected: >= 1)",
            "model 'broken' config.pbtxt: dynamic_batching.default_priority_level: 3 (expected: >= 1 and <= priority_levels 2)",
            "model 'broken' config.pbtxt: instance_group[0].count: -1 (expected: >= 1)",
            "model 'broken' config.pbtxt: input 'input' dims: [0, -3] (expected: [-1, 4] as in 1/model.onnx)",
            "model 'broken' config.pbtxt: input 'ghost' name: not an input of 1/model.onnx (expected: one of [input])",
            "model 'broken' config.pbtxt: output 'output' data_type: TYPE_FP64 (expected: TYPE_FP32 as in 1/model.onnx)"));
  }

  @Test
  void negativeMaxBatchSizeAndEmptyVersionPolicyAreReportedTogether() {
    Path directory = TestModels.writeModel(repository, "m", """
        max_batch_size: -2
        input [ { name: "input" data_type: TYPE_FP32 dims: [ 4 ] } ]
        output [ { name: "output" data_type: TYPE_FP32 dims: [ 4 ] } ]
        version_policy { latest { num_versions: 0 } }
        platform: "tensorflow_savedmodel"
        """, 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(String.join("\n",
        "model 'm' config.pbtxt: platform: 'tensorflow_savedmodel' (expected: 'onnxruntime_onnx' or backend 'onnxruntime')",
        "model 'm' config.pbtxt: max_batch_size: -2 (expected: >= 0)",
        "model 'm' config.pbtxt: version_policy.latest.num_versions: 0 (expected: >= 1)",
        "model 'm' config.pbtxt: version_policy: selects no version (expected: at least one of [1])"));
  }

  @Test
  void preferredBatchSizeAboveMaxAndMissingOnnxInputAreReported() {
    Path directory = repository.resolve("two_in");
    TestModels.writeOnnx(directory.resolve("1/model.onnx"), TestModels.onnx(
        List.of(valueInfo("a", TensorProto.DataType.FLOAT_VALUE, "batch", 4L),
            valueInfo("b", TensorProto.DataType.FLOAT_VALUE, "batch", 4L)),
        List.of(valueInfo("y", TensorProto.DataType.FLOAT_VALUE, "batch", 4L))));
    writeConfig(directory, """
        max_batch_size: 4
        input [ { name: "a" data_type: TYPE_FP32 dims: [ 5 ] } ]
        output [ { name: "y" data_type: TYPE_FP32 dims: [ 4 ] } ]
        dynamic_batching { preferred_batch_size: [ 2, 16 ] }
        """);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(String.join("\n",
        "model 'two_in' config.pbtxt: dynamic_batching.preferred_batch_size: 16 (expected: <= max_batch_size 4)",
        "model 'two_in' config.pbtxt: input 'a' dims: [5] (expected: [4] as in 1/model.onnx, less its batch dimension)",
        "model 'two_in' config.pbtxt: input: [a] (expected: also 'b', an input of 1/model.onnx)"));
  }

  @Test
  void batchingConfigNeedsAVariableFirstDimensionInTheModel() {
    Path directory = repository.resolve("fixed_batch");
    TestModels.writeOnnx(directory.resolve("1/model.onnx"), TestModels.onnx(
        List.of(valueInfo("x", TensorProto.DataType.FLOAT_VALUE, 2L, 4L)),
        List.of(valueInfo("y", TensorProto.DataType.FLOAT_VALUE, "batch", 4L))));
    writeConfig(directory, """
        max_batch_size: 8
        input [ { name: "x" data_type: TYPE_FP32 dims: [ 4 ] } ]
        output [ { name: "y" data_type: TYPE_FP32 dims: [ 4 ] } ]
        """);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'fixed_batch' config.pbtxt: input 'x' dims: [4] with max_batch_size > 0 (expected: 1/model.onnx "
            + "shape [2, 4] to start with a variable-size batch dimension -1, or max_batch_size 0)");
  }

  @Test
  void configMinusOneAgainstAFixedModelDimIsRejectedAndAVariableModelDimTakesAnyConfigDim() {
    Path directory = repository.resolve("dims");
    TestModels.writeOnnx(directory.resolve("1/model.onnx"), TestModels.onnx(
        List.of(valueInfo("x", TensorProto.DataType.FLOAT_VALUE, "batch", 4L, "n")),
        List.of(valueInfo("y", TensorProto.DataType.FLOAT_VALUE, "batch", 4L, "n"))));
    writeConfig(directory, """
        max_batch_size: 8
        input [ { name: "x" data_type: TYPE_FP32 dims: [ -1, 7 ] } ]
        output [ { name: "y" data_type: TYPE_FP32 dims: [ 4, 7, 1 ] } ]
        """);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(String.join("\n",
        "model 'dims' config.pbtxt: input 'x' dims: [-1, 7] (expected: [4, -1] as in 1/model.onnx, less its batch "
            + "dimension)",
        "model 'dims' config.pbtxt: output 'y' dims: [4, 7, 1] (expected: [4, -1] as in 1/model.onnx, less its batch "
            + "dimension)"));

    writeConfig(directory, """
        max_batch_size: 8
        input [ { name: "x" data_type: TYPE_FP32 dims: [ 4, 7 ] } ]
        output [ { name: "y" data_type: TYPE_FP32 dims: [ 4, -1 ] } ]
        """);
    assertThat(ModelConfigLoader.load(directory).config().getInput(0).getDimsList()).containsExactly(4L, 7L);
  }

  @Test
  void kindGpuFailsToLoadWithoutGpusAndKindModelIsNotSupported() {
    Path directory = TestModels.writeModel(repository, "gpu", TestModels.identityConfig("gpu", 4)
        + "instance_group [ { kind: KIND_GPU }, { kind: KIND_CPU count: 3 }, { kind: KIND_MODEL } ]\n", 1);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(String.join("\n",
        "model 'gpu' config.pbtxt: instance_group[0].kind: KIND_GPU (expected: KIND_CPU or KIND_AUTO, no GPUs are "
            + "available to this server)",
        "model 'gpu' config.pbtxt: instance_group[2].kind: KIND_MODEL (expected: KIND_CPU, KIND_GPU or KIND_AUTO "
            + "for the onnxruntime backend)"));
    // the runner factory says why there is no GPU, e.g. that CUDA did not start
    assertThatThrownBy(() -> ModelConfigLoader.load(directory, LoadParameters.none(), false,
        "the CUDA execution provider did not start (it needs CUDA 12, cuDNN 9 and a GPU): no libcublasLt"))
        .hasMessageStartingWith("model 'gpu' config.pbtxt: instance_group[0].kind: KIND_GPU (expected: KIND_CPU or"
            + " KIND_AUTO, the CUDA execution provider did not start (it needs CUDA 12, cuDNN 9 and a GPU): no"
            + " libcublasLt)");
  }

  @Test
  void kindAutoIsTheGpuWhenAvailableAndCountsDefaultAsTriton() {
    ModelConfig config = ModelConfig.newBuilder().setName("m")
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setKind(ModelInstanceGroup.Kind.KIND_AUTO))
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setKind(ModelInstanceGroup.Kind.KIND_CPU).setCount(3))
        .build();

    assertThat(ModelConfigLoader.normalize(config, true).getInstanceGroupList())
        .extracting(ModelInstanceGroup::getKind, ModelInstanceGroup::getCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ModelInstanceGroup.Kind.KIND_GPU, 1),
            org.assertj.core.groups.Tuple.tuple(ModelInstanceGroup.Kind.KIND_CPU, 3));
    assertThat(ModelConfigLoader.normalize(ModelConfig.newBuilder().setName("m").build(), false)
        .getInstanceGroupList())
        .extracting(ModelInstanceGroup::getKind, ModelInstanceGroup::getCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ModelInstanceGroup.Kind.KIND_CPU, 2));
  }

  @Test
  void modelWithoutVersionsIsReported() throws Exception {
    Path directory = Files.createDirectories(repository.resolve("empty"));
    writeConfig(directory, TestModels.identityConfig("empty", 4));
    Files.createDirectories(directory.resolve("notaversion"));

    assertThatThrownBy(() -> ModelConfigLoader.load(directory)).hasMessage(
        "model 'empty' config.pbtxt: versions: none (expected: a numeric version directory, e.g. 1/model.onnx)");
  }

  @Test
  void unreadableOnnxIsReported() throws Exception {
    Path directory = Files.createDirectories(repository.resolve("junk").resolve("1"));
    Files.write(directory.resolve("model.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});

    assertThatThrownBy(() -> ModelConfigLoader.load(directory.getParent()))
        .hasMessageStartingWith("model 'junk' config.pbtxt: 1/model.onnx: ");
  }

  @Test
  void onnxSignatureMapsElementTypesAndDynamicDims() {
    var signature = OnnxSignature.of(TestModels.onnx(
        List.of(valueInfo("s", TensorProto.DataType.STRING_VALUE, "b"), valueInfo("h", 10, "b", 8L)),
        List.of(valueInfo("c", TensorProto.DataType.COMPLEX64_VALUE, "b"))).getGraph());

    assertThat(signature.input("s").dataType()).isEqualTo(DataType.BYTES);
    assertThat(signature.input("h").dataType()).isEqualTo(DataType.FP16);
    assertThat(signature.input("h").dims()).containsExactly(-1L, 8L);
    assertThat(signature.output("c").dataType()).isNull();
    assertThat(signature.supportsBatching()).isTrue();
  }

  private static void writeConfig(Path directory, String text) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("config.pbtxt"), text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
