package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelOptimizationPolicy;
import dev.yardmaster.protocol.v2.ModelOptimizationPolicy.ExecutionAccelerators.Accelerator;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrtModelParametersTest {

  private static final OrtRunnerOptions SERVER = OrtRunnerOptions.defaults();

  @Test
  void modelParametersOverrideTheServerOptionsForThatModel() {
    OrtRunnerOptions options = OrtModelParameters.apply("m", SERVER, Map.of(
        "intra_op_thread_count", parameter("4"),
        "inter_op_thread_count", parameter("0"),
        "execution_mode", parameter("1"),
        "enable_mem_arena", parameter("false"),
        "enable_mem_pattern", parameter("ON"),
        "inline_execution_max_micros", parameter("100")));

    assertThat(options).isEqualTo(new OrtRunnerOptions(4, 0, true, true, false, true));
  }

  @Test
  void withoutParametersTheServerOptionsStand() {
    assertThat(OrtModelParameters.apply("m", SERVER, Map.of())).isEqualTo(SERVER);
    assertThat(OrtModelParameters.apply("m", SERVER.cpuOnly(), Map.of("execution_mode", parameter("0"))))
        .isEqualTo(new OrtRunnerOptions(1, 1, false, false, null, null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "intra_op_thread_count | two | an integer >= 0, 0 lets ONNX Runtime pick",
      "inter_op_thread_count | -1  | an integer >= 0, 0 lets ONNX Runtime pick",
      "execution_mode        | 2   | 0 (sequential) or 1 (parallel)",
      "enable_mem_arena      | yes | true or false",
      "enable_mem_pattern    | ''  | true or false"})
  void badValueNamesTheModelAndParameter(String name, String value, String expected) {
    assertThatThrownBy(() -> OrtModelParameters.apply("m/1", SERVER, Map.of(name, parameter(value))))
        .isInstanceOf(InferenceException.class)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT)
        .hasMessage("model 'm/1' parameters.%s: '%s' (expected: %s)", name, value, expected);
  }

  // onnxruntime_backend src/onnxruntime.cc, ModelState::ModelState: optimization { graph { level } }
  @ParameterizedTest
  @CsvSource({"-1, BASIC_OPT", "0, ALL_OPT", "1, EXTENDED_OPT", "2, NO_OPT", "3, ALL_OPT"})
  void graphLevelMapsAsTritonsModelState(int level, OptLevel expected) throws Exception {
    ModelConfig config = ModelConfig.newBuilder().setOptimization(ModelOptimizationPolicy.newBuilder()
        .setGraph(ModelOptimizationPolicy.Graph.newBuilder().setLevel(level))).build();

    assertThat(OrtModelParameters.apply("m/1", SERVER, config).optimizationLevel()).isEqualTo(expected);
    assertThat(OrtModelParameters.apply("m/1", SERVER, ModelConfig.getDefaultInstance()).optimizationLevel())
        .as("no graph: ORT's default, all").isEqualTo(OptLevel.ALL_OPT);
  }

  // onnxruntime_backend README "Model Config Options": session.use_device_allocator_for_initializers
  // (ModelState::ModelState, AddSessionConfigEntry) and memory.enable_memory_arena_shrinkage
  // (ModelInstanceState::ModelInstanceState, AddRunConfigEntry), both passed as given
  @Test
  void sessionAndRunConfigEntriesAreHandedToOrtAsGiven() throws Exception {
    OrtRunnerOptions options = OrtModelParameters.apply("m/1", SERVER, Map.of(
        "session.use_device_allocator_for_initializers", parameter("1"),
        "memory.enable_memory_arena_shrinkage", parameter("cpu:0")));

    assertThat(options.sessionConfig()).containsExactly(Map.entry("session.use_device_allocator_for_initializers", "1"));
    assertThat(options.runConfig()).containsExactly(Map.entry("memory.enable_memory_arena_shrinkage", "cpu:0"));
    try (OrtSession.SessionOptions sessionOptions = OrtModelRunner.sessionOptions(options)) {
      assertThat(sessionOptions.getConfigEntries())
          .containsEntry("session.use_device_allocator_for_initializers", "1");
    }
  }

  // onnxruntime_backend src/onnxruntime.cc, ModelState::LoadModel "CPU execution providers": without
  // OpenVINO built in, any cpu_execution_accelerator is "unknown Execution Accelerator ... is requested"
  @Test
  void cpuExecutionAcceleratorFailsNamingIt() {
    ModelConfig config = ModelConfig.newBuilder().setOptimization(ModelOptimizationPolicy.newBuilder()
        .setExecutionAccelerators(ModelOptimizationPolicy.ExecutionAccelerators.newBuilder()
            .addCpuExecutionAccelerator(Accelerator.newBuilder().setName("openvino")))).build();

    assertThatThrownBy(() -> OrtModelParameters.apply("m/1", SERVER, config))
        .isInstanceOf(InferenceException.class)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT)
        .hasMessage("model 'm/1' optimization.execution_accelerators.cpu_execution_accelerator: 'openvino' "
            + "(expected: none, this ONNX Runtime runs the CPU on its default execution provider only)");
  }

  // qa/L0_onnx_optimization/test.sh: the _cuda_config model's CUDA parameters and the _trt model's
  // gpu_execution_accelerator are what the backend names as not applied
  @Test
  void gpuProviderSettingsAreNamed() {
    ModelConfig config = ModelConfig.newBuilder()
        .setOptimization(ModelOptimizationPolicy.newBuilder()
            .setExecutionAccelerators(ModelOptimizationPolicy.ExecutionAccelerators.newBuilder()
                .addGpuExecutionAccelerator(Accelerator.newBuilder().setName("tensorrt"))))
        .putParameters("cudnn_conv_algo_search", parameter("1"))
        .putParameters("arena_extend_strategy", parameter("1"))
        .putParameters("gpu_mem_limit", parameter("18446744073709551614"))
        .putParameters("intra_op_thread_count", parameter("1")).build();

    assertThat(OrtModelParameters.gpuProviderSettings(config)).containsExactly(
        "optimization.execution_accelerators.gpu_execution_accelerator 'tensorrt'",
        "parameters.cudnn_conv_algo_search", "parameters.gpu_mem_limit", "parameters.arena_extend_strategy");
    assertThat(OrtModelParameters.gpuProviderSettings(ModelConfig.getDefaultInstance())).isEmpty();
  }

  private static ModelParameter parameter(String value) {
    return ModelParameter.newBuilder().setStringValue(value).build();
  }
}
