package dev.yardmaster.backend.repository;

import static dev.yardmaster.backend.repository.TestModels.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Triton's {@code qa/L0_model_config/noautofill_platform/*} cases as they run with platform
 * {@code onnxruntime_onnx}: each config is Triton's, with the platform line test.sh appends, beside
 * an ONNX model that matches every part of it but the one under test, so the load is refused for
 * that part alone. The message must name the field Triton's {@code expected} names; the wording
 * is ours. Cases for features Yardmaster refuses outright (sequence batching, ragged batch inputs,
 * ensembles) only check that refusal.
 */
class TritonL0NoAutofillPlatformTest {

  @TempDir Path repository;

  /** {@code data} FP32 [-1,1,28,28] to {@code prob} FP32 [-1,10,1,1], as the instance-group cases declare. */
  private static final ModelProto DATA_PROB = TestModels.onnx(
      List.of(valueInfo("data", TensorProto.DataType.FLOAT_VALUE, "batch", 1L, 28L, 28L)),
      List.of(valueInfo("prob", TensorProto.DataType.FLOAT_VALUE, "batch", 10L, 1L, 1L)));

  private static final String DATA_PROB_TENSORS = """
      input [ { name: "data" data_type: TYPE_FP32 format: FORMAT_NCHW dims: [ 1, 28, 28 ] } ]
      output [ { name: "prob" data_type: TYPE_FP32 dims: [ 10, 1, 1 ] } ]
      """;

  /** {@code INPUT} to {@code OUTPUT}, INT32 [-1,1], as the dynamic-batching cases declare. */
  private static final ModelProto INT32_IDENTITY = TestModels.onnx(
      List.of(valueInfo("INPUT", TensorProto.DataType.INT32_VALUE, "batch", 1L)),
      List.of(valueInfo("OUTPUT", TensorProto.DataType.INT32_VALUE, "batch", 1L)));

  private static final String INT32_TENSORS = """
      input [ { name: "INPUT" data_type: TYPE_INT32 dims: [ 1 ] } ]
      output [ { name: "OUTPUT" data_type: TYPE_INT32 dims: [ 1 ] } ]
      """;

  /** {@code input} to {@code output}, FP32, with the given full shapes (a String is a variable dim). */
  private static ModelProto fp32(Object[] input, Object[] output) {
    return TestModels.onnx(List.of(valueInfo("input", TensorProto.DataType.FLOAT_VALUE, input)),
        List.of(valueInfo("output", TensorProto.DataType.FLOAT_VALUE, output)));
  }

  private static Object[] dims(Object... dims) {
    return dims;
  }

  static Stream<Arguments> refusedCases() {
    return Stream.of(
        // "'max_batch_size' must be non-negative value for negative_max_batch_size"
        refused("negative_max_batch_size", "max_batch_size: -2\n" + DATA_PROB_TENSORS, DATA_PROB,
            "max_batch_size: -2 (expected: >= 0)"),
        // "instance group invalid_cpu_0 of model invalid_cpu has kind KIND_CPU but specifies one or more GPUs"
        refused("invalid_cpu", "max_batch_size: 8\n" + DATA_PROB_TENSORS
            + "instance_group [ { kind: KIND_CPU gpus: [ 0 ] } ]", DATA_PROB,
            "instance_group[0].gpus: [0] (expected: none for KIND_CPU"),
        // "instance group invalid_gpu_0 of model invalid_gpu specifies invalid or unsupported gpu id
        // of 42": on this host without GPUs the group's kind is refused first
        refused("invalid_gpu", "max_batch_size: 8\n" + DATA_PROB_TENSORS
            + "instance_group [ { kind: KIND_GPU gpus: [ 42 ] } ]", DATA_PROB,
            "instance_group[0].kind: KIND_GPU (expected: KIND_CPU or KIND_AUTO, no GPUs"),
        // "model input 'input' must specify 'data_type'"
        refused("missing_datatype", """
            max_batch_size: 4
            input [ { name: "input" dims: [ 2, -1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 2L, "n"), dims("b", 1L)), "input 'input' data_type: TYPE_INVALID"),
        // "Only one priority level is allowed when 'preserve_ordering' is true for preserve_ordering0"
        refused("preserve_ordering0", """
            max_batch_size: 8
            dynamic_batching {
              preserve_ordering: true
              priority_levels: 3
              default_priority_level: 2
              priority_queue_policy { key: 1 value: { } }
            }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.priority_levels: 3 (expected: 0 or 1 when preserve_ordering is true)"),
        // "Queue policy can not have DELAY as timeout action when 'preserve_ordering' is true for preserve_ordering1"
        refused("preserve_ordering1", """
            max_batch_size: 8
            dynamic_batching {
              preserve_ordering: true
              default_queue_policy { timeout_action: DELAY default_timeout_microseconds: 1000 }
            }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.default_queue_policy.timeout_action: DELAY (expected: REJECT when preserve_ordering"),
        // the same for the policy of priority level 1
        refused("preserve_ordering2", """
            max_batch_size: 8
            dynamic_batching {
              preserve_ordering: true
              priority_levels: 1
              default_priority_level: 1
              priority_queue_policy { key: 1 value: { timeout_action: DELAY default_timeout_microseconds: 1000 } }
            }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.priority_queue_policy[1].timeout_action: DELAY (expected: REJECT"),
        // "priority queue policy must have priority level in range [1, 3] for priority_level0"
        refused("priority_level0", """
            max_batch_size: 8
            dynamic_batching {
              priority_levels: 3
              default_priority_level: 2
              priority_queue_policy { key: 0 value: { } }
            }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.priority_queue_policy key: 0 (expected: >= 1 and <= priority_levels 3)"),
        refused("priority_level1", """
            max_batch_size: 8
            dynamic_batching {
              priority_levels: 3
              default_priority_level: 2
              priority_queue_policy { key: 4 value: { } }
            }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.priority_queue_policy key: 4 (expected: >= 1 and <= priority_levels 3)"),
        // "default priority level must be in range [1, 3] for default_priority_level0"
        refused("default_priority_level0", "max_batch_size: 8\ndynamic_batching { priority_levels: 3 }\n"
            + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.default_priority_level: 0 (expected: >= 1 and <= priority_levels 3)"),
        refused("default_priority_level1", """
            max_batch_size: 8
            dynamic_batching { priority_levels: 3 default_priority_level: 5 }
            """ + INT32_TENSORS, INT32_IDENTITY,
            "dynamic_batching.default_priority_level: 5 (expected: >= 1 and <= priority_levels 3)"),
        // "model input has different size for dims and reshape for reshape_elementcount0"
        refused("reshape_elementcount0", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1, 3, 2 ] reshape { shape: [ 5 ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 5L), dims("b", 1L)),
            "input 'input' reshape.shape: [5] (expected: as many elements as dims [1, 3, 2]"),
        refused("reshape_elementcount3", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 15 ] reshape { shape: [ 3, 2, 5 ] } } ]
            """, fp32(dims("b", 1L), dims("b", 3L, 2L, 5L)),
            "output 'output' reshape.shape: [3, 2, 5] (expected: as many elements as dims [15]"),
        // "model input has different number of variable-size dimensions for dims and reshape"
        refused("reshape_variable0", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 2, 2 ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 2L, 2L), dims("b", 1L)),
            "input 'input' reshape.shape: [2, 2] (expected: as many elements as dims [2, -1], with as many -1 dims)"),
        // "model input has different size for dims and reshape for reshape_variable2"
        refused("reshape_variable2", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 2, -1, 2 ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 2L, "n", 2L), dims("b", 1L)), "input 'input' reshape.shape: [2, -1, 2] (expected:"),
        // as many elements overall, but not before and after the -1: Triton's ValidateIOShape
        // compares the fixed dims between -1 dims ("has different size for dims and reshape")
        refused("reshape_variable3", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 1, -1, 2 ] } } ]
            """, fp32(dims("b", 1L), dims("b", 1L, "n", 2L)), "output 'output' reshape.shape: [1, -1, 2] "
            + "(expected: the fixed dims before, between and after the -1 dims to hold as many elements as in "
            + "dims [2, -1])"),
        refused("reshape_variable4", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 2, -1, -1 ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 2L, "n", "m"), dims("b", 1L)),
            "input 'input' reshape.shape: [2, -1, -1] (expected: as many elements as dims [2, -1], with as many "
            + "-1 dims)"),
        refused("reshape_variable5", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 2, -1 ] reshape { shape: [ 2, -1, -1 ] } } ]
            """, fp32(dims("b", 1L), dims("b", 2L, "n", "m")),
            "output 'output' reshape.shape: [2, -1, -1] (expected: as many elements as dims [2, -1], with as many "
            + "-1 dims)"),
        // "model input 'input' cannot have empty reshape for non-batching model as scalar tensors are
        // not supported"
        refused("reshape_nobatch_empty0", """
            max_batch_size: 0
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] reshape { shape: [ ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims(), dims(1L)), "input 'input' reshape.shape: [] (expected: at least one dim when "
            + "max_batch_size is 0"),
        refused("reshape_nobatch_empty1", """
            max_batch_size: 0
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] reshape { shape: [ ] } } ]
            """, fp32(dims(1L), dims()), "output 'output' reshape.shape: [] (expected: at least one dim when "
            + "max_batch_size is 0"),
        // "model input reshape dimensions must be integer >= 1, or -1 to indicate a variable-size dimension"
        refused("reshape_zerodims0", """
            max_batch_size: 4
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 2, 2 ] reshape { shape: [ 0 ] } } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 4L), dims("b", 1L)),
            "input 'input' reshape.shape: [0] (expected: each dim -1 or >= 1)"),
        // "model input dimension must be integer >= 1, or -1 to indicate a variable-size dimension"
        refused("zerodims_input0", """
            max_batch_size: 8
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1, 0, 28 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 1 ] } ]
            """, fp32(dims("b", 1L, "n", 28L), dims("b", 1L)), "input 'input' dims[1]: 0 (expected: -1 or >= 1)"),
        refused("zerodims_output1", """
            max_batch_size: 8
            input [ { name: "input" data_type: TYPE_FP32 dims: [ 1 ] } ]
            output [ { name: "output" data_type: TYPE_FP32 dims: [ 0 ] } ]
            """, fp32(dims("b", 1L), dims("b", "n")), "output 'output' dims[0]: 0 (expected: -1 or >= 1)"),
        // sequence batching: Triton checks its control inputs; Yardmaster has no sequence batcher
        refused("control_kind_start_multiple", """
            max_batch_size: 8
            sequence_batching {
              control_input [
                { name: "START" control [ { kind: CONTROL_SEQUENCE_START int32_false_true: [ 0, 1 ] } ] },
                { name: "READY" control [ { kind: CONTROL_SEQUENCE_START int32_false_true: [ 0, 1 ] } ] }
              ]
            }
            """ + INT32_TENSORS, INT32_IDENTITY, "sequence_batching (line 2): not supported"),
        // ragged batching: Triton checks batch_input's source; Yardmaster does not make batch inputs
        refused("batch_input_unknown_source", """
            input [ { name: "INPUT" data_type: TYPE_INT32 dims: [ -1 ] } ]
            output [ { name: "OUTPUT" data_type: TYPE_INT32 dims: [ 1 ] } ]
            batch_input [ { kind: BATCH_ELEMENT_COUNT target_name: "BATCH_INPUT" data_type: TYPE_FP32
                source_input: "UNKNOWN_INPUT" } ]
            """, TestModels.onnx(List.of(valueInfo("INPUT", TensorProto.DataType.INT32_VALUE, "n")),
                List.of(valueInfo("OUTPUT", TensorProto.DataType.INT32_VALUE, 1L))),
            "batch_input (line 3): not supported"),
        // "ensemble scheduling can not be set for model ... whose platform is not ensemble"
        refused("ensemble_scheduling_set", "max_batch_size: 8\n" + INT32_TENSORS
            + "ensemble_scheduling { step [ { model_name: \"x\" model_version: -1 } ] }", INT32_IDENTITY,
            "ensemble_scheduling (line 4): not supported"));
  }

  private static Arguments refused(String tritonCase, String config, ModelProto model, String problem) {
    // as test.sh does: the platform goes last, after any platform line is removed
    return Arguments.of(Named.of(tritonCase, tritonCase), config + "\nplatform: \"onnxruntime_onnx\"\n", model,
        problem);
  }

  @ParameterizedTest(name = "noautofill_platform/{0}")
  @MethodSource("refusedCases")
  void refusesAsTritonDoes(String tritonCase, String config, ModelProto model, String problem) {
    Path directory = TritonL0ModelConfigTest.writeCase(repository, tritonCase, config, model);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory))
        .isInstanceOf(InferenceException.class)
        .hasMessageContaining("model '" + tritonCase + "' config.pbtxt")
        .hasMessageContaining(problem);
  }

  // noautofill_platform/negative_gpu on a host with GPUs, as Triton's expected was made: "instance
  // group negative_gpu_1 of model negative_gpu specifies invalid or unsupported gpu id of -1"
  @Test
  void negativeGpuIdIsRefusedOnAGpuHost() {
    Path directory = TritonL0ModelConfigTest.writeCase(repository, "negative_gpu", "max_batch_size: 1\n"
        + DATA_PROB_TENSORS + """
        instance_group [ { gpus: [ 0 ] } ]
        instance_group [ { kind: KIND_GPU gpus: [ -1 ] } ]
        platform: "onnxruntime_onnx"
        """, DATA_PROB);

    assertThatThrownBy(() -> ModelConfigLoader.load(directory, LoadParameters.none(), true))
        .isInstanceOf(InferenceException.class)
        .hasMessage("model 'negative_gpu' config.pbtxt: instance_group[1].gpus: -1 (expected: GPU ids >= 0)");
  }

  // The instance-group cases' config with its group fixed loads, named as Triton names a listed group.
  @Test
  void theSameConfigWithACpuGroupWithoutGpusLoads() {
    Path directory = TritonL0ModelConfigTest.writeCase(repository, "valid_cpu", "max_batch_size: 8\n"
        + DATA_PROB_TENSORS + "instance_group [ { kind: KIND_CPU } ]\nplatform: \"onnxruntime_onnx\"\n", DATA_PROB);

    ModelConfig config = ModelConfigLoader.load(directory).config();

    assertThat(config.getInstanceGroupList()).containsExactly(
        TritonL0ModelConfigTest.group("valid_cpu_0", dev.yardmaster.protocol.v2.ModelInstanceGroup.Kind.KIND_CPU, 2));
  }
}
