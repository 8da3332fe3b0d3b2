package dev.yardmaster.backend.repository;

import static dev.yardmaster.backend.repository.TritonL0ModelConfigTest.writeCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config side of Triton's {@code qa/L0_optional_input}, {@code qa/L0_initializer_as_input} and
 * {@code qa/L0_passive_instance} on ONNX models, as Triton's onnxruntime backend checks them
 * ({@code ModelInstanceState::ValidateInputs} and the input count its constructor expects): an
 * input is optional exactly when it is an initializer that is also a graph input, only a model
 * without batching takes optional inputs, and auto-complete does not list initializers. The
 * messages are ours; each case asserts the field and problem they name.
 */
class TritonL0OptionalInputConfigTest {

  private static final String INITIALIZER_MODEL = DemoModels.ADD_WITH_INITIALIZER;

  @TempDir Path repository;

  /** The config of {@code add_with_initializer} with {@code INITIALIZER}'s optional flag and max_batch_size set. */
  private static String config(boolean initializerOptional, int maxBatchSize) {
    String dims = maxBatchSize > 0 ? "[ 5 ]" : "[ 5, 5 ]";
    return """
        max_batch_size: %d
        input [
          { name: "INPUT" data_type: TYPE_FP32 dims: %s },
          { name: "INITIALIZER" data_type: TYPE_FP32 dims: %s optional: %s }
        ]
        output [ { name: "OUTPUT" data_type: TYPE_FP32 dims: %s } ]
        """.formatted(maxBatchSize, dims, dims, initializerOptional, dims);
  }

  // L0_initializer_as_input models/add_with_initializer/config.pbtxt: INITIALIZER optional, max_batch_size 0
  @Test
  void anInitializerThatIsAGraphInputLoadsAsAnOptionalInput() {
    ModelConfig config = load(INITIALIZER_MODEL, config(true, 0), DemoModels.model(INITIALIZER_MODEL)).config();

    assertThat(config.getInputList()).extracting(input -> input.getName() + " optional " + input.getOptional())
        .containsExactly("INPUT optional false", "INITIALIZER optional true");
  }

  // onnxruntime_backend AutoCompleteConfig reads the session's InputInfos, which hold no initializer
  @Test
  void autoCompleteLeavesTheInitializerOut() {
    ModelConfig config = load(INITIALIZER_MODEL, null, DemoModels.model(INITIALIZER_MODEL)).config();

    assertThat(config.getInputList()).extracting(input -> input.getName()).containsExactly("INPUT");
    assertThat(config.getMaxBatchSize()).isZero();
  }

  // onnxruntime_backend ValidateInputs: "optional input 'INITIALIZER' is not supported for models
  // that support batching"
  @Test
  void anOptionalInputOfABatchingModelIsRefused() {
    ModelProto batching = addWithInitializer(-1, 5);

    assertRefused("optional_batching", config(true, 4), batching,
        "input 'INITIALIZER' optional: true with max_batch_size > 0 (expected: false, or max_batch_size 0");
  }

  // onnxruntime_backend ModelInstanceState: the config's inputs less the optional ones against the
  // session's inputs ("configuration expects 1 inputs, model provides 2")
  @Test
  void anOptionalInputWithoutAnInitializerIsRefused() {
    String config = """
        input [
          { name: "INPUT0" data_type: TYPE_FP32 dims: [ -1, 16 ] },
          { name: "INPUT1" data_type: TYPE_FP32 dims: [ -1, 16 ] optional: true }
        ]
        output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ -1, 16 ] },
                 { name: "OUTPUT1" data_type: TYPE_FP32 dims: [ -1, 16 ] } ]
        """;

    assertRefused("optional_required", config, DemoModels.model(DemoModels.ADD_SUB),
        "input 'INPUT1' optional: true (expected: false: 'INPUT1' is an input of 1/model.onnx without an initializer");
  }

  // the same count the other way round ("configuration expects 2 inputs, model provides 1")
  @Test
  void anInitializerInputNotMarkedOptionalIsRefused() {
    assertRefused("initializer_required", config(false, 0), DemoModels.model(INITIALIZER_MODEL),
        "input 'INITIALIZER' optional: false (expected: true: 'INITIALIZER' is an initializer of 1/model.onnx");
  }

  // before IR version 4 ONNX Runtime keeps initializers constant: no run may give one
  @Test
  void anInitializerOfAnIrVersion3ModelIsNoInput() {
    ModelProto ir3 = DemoModels.model(INITIALIZER_MODEL).toBuilder().setIrVersion(3).build();

    assertRefused("initializer_ir3", config(true, 0), ir3,
        "input 'INITIALIZER' name: not an input of 1/model.onnx (expected: one of [INPUT])");
  }

  // L0_passive_instance: a passive group's instances take no work, so the scheduler counts the others only
  @Test
  void passiveGroupsAreNotCountedAsInstancesThatTakeWork() {
    String config = config(true, 0) + """
        instance_group [ { count: 1 kind: KIND_CPU }, { count: 3 kind: KIND_CPU passive: true } ]
        """;

    ModelConfig loaded = load("passive", config, DemoModels.model(INITIALIZER_MODEL)).config();

    assertThat(loaded.getInstanceGroup(1).getPassive()).isTrue();
    assertThat(Schedulers.instanceCount(loaded)).isEqualTo(1);
  }

  // kept difference: Triton loads a model whose groups are all passive, and its requests never run
  @Test
  void aModelWhoseGroupsAreAllPassiveIsRefused() {
    String config = config(true, 0) + """
        instance_group [ { count: 2 kind: KIND_CPU passive: true } ]
        """;

    assertRefused("all_passive", config, DemoModels.model(INITIALIZER_MODEL),
        "instance_group: every group passive (expected: at least one group with passive: false");
  }

  private ModelDefinition load(String name, @Nullable String config, ModelProto model) {
    return ModelConfigLoader.load(writeCase(repository, name, config, model));
  }

  private void assertRefused(String name, String config, ModelProto model, String problem) {
    assertThatThrownBy(() -> load(name, config, model))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("model '" + name + "' config.pbtxt: ")
        .hasMessageContaining(problem);
  }

  /** {@code add_with_initializer} with a graph of these dims, e.g. a batch dimension. */
  private static ModelProto addWithInitializer(long... dims) {
    ModelProto model = DemoModels.model(INITIALIZER_MODEL);
    var graph = model.getGraph().toBuilder();
    for (var input : graph.getInputBuilderList()) {
      setDims(input.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder(), dims);
    }
    setDims(graph.getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder(), dims);
    return model.toBuilder().setGraph(graph).build();
  }

  private static void setDims(dev.yardmaster.onnx.proto.TensorShapeProto.Builder shape, long... dims) {
    shape.clearDim();
    for (long dim : dims) {
      var builder = shape.addDimBuilder();
      if (dim < 0) {
        builder.setDimParam("batch");
      } else {
        builder.setDimValue(dim);
      }
    }
  }
}
