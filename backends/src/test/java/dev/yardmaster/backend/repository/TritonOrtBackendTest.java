package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX Runtime settings of Triton's onnxruntime_backend (its README's "Model Config Options"
 * and "Default Max Batch Size", read in {@code src/onnxruntime.cc}) on real ONNX Runtime sessions
 * opened through the repository: each model's config sets them as Triton's would, and the test
 * checks what the session then does.
 */
class TritonOrtBackendTest {

  /** The fusion model's inner dimension: wider than one of MLAS's SGEMM K blocks. */
  private static final int WIDE = 4096;

  @TempDir Path repository;
  @AutoClose private RepositoryModelManager manager;

  /**
   * {@code y = x W + b} with W all ones, b = -1e8 and x = [1e8, 0, ..., 0, 1]. Unoptimized, MatMul
   * rounds 1e8 + 1 to 1e8 and Add gives 0; ORT's basic optimizations fuse MatMul and Add into a
   * Gemm that starts from the bias, 1e8 - 1e8 + 1 = 1. So the answer shows whether they ran.
   */
  private static ModelProto fusionModel() {
    float[] ones = new float[WIDE];
    Arrays.fill(ones, 1f);
    return OnnxGraphBuilder.graph("fusion")
        .input("x", TensorProto.DataType.FLOAT, -1, WIDE)
        .output("y", TensorProto.DataType.FLOAT, -1, 1)
        .floatInitializer("w", new long[] {WIDE, 1}, ones)
        .floatInitializer("b", new long[] {1}, new float[] {-1e8f})
        .matMul("x", "w", "xw")
        .add("xw", "b", "y")
        .build();
  }

  private float fusionAnswer(String model) throws Exception {
    float[] x = new float[WIDE];
    x[0] = 1e8f;
    x[WIDE - 1] = 1f;
    InferResponse response = manager.resolve(model, "").infer(InferRequest.of(model, "",
        List.of(Tensor.ofFloats("x", new long[] {1, WIDE}, x)))).get(30, TimeUnit.SECONDS);
    return response.outputs().get(0).toFloats()[0];
  }

  private void write(String model, ModelProto onnx, String config) throws Exception {
    OnnxGraphBuilder.write(onnx, repository.resolve(model).resolve("1").resolve("model.onnx"));
    Files.writeString(repository.resolve(model).resolve("config.pbtxt"), config);
  }

  // onnxruntime_backend README "Model Config Options" (level) and src/onnxruntime.cc
  // ModelState::ModelState: -1 basic, 1 basic and extended, 2 none, unset all optimizations
  @Test
  void graphOptimizationLevelReachesTheSession() throws Exception {
    write("level_unset", fusionModel(), "");
    write("level_basic", fusionModel(), "optimization { graph { level: -1 } }");
    write("level_extended", fusionModel(), "optimization { graph { level: 1 } }");
    write("level_disabled", fusionModel(), "optimization { graph { level: 2 } }");

    manager = AffineModels.serve(repository);

    assertThat(fusionAnswer("level_unset")).as("all optimizations: fused").isEqualTo(1f);
    assertThat(fusionAnswer("level_basic")).as("basic: fused").isEqualTo(1f);
    assertThat(fusionAnswer("level_extended")).as("extended: fused").isEqualTo(1f);
    assertThat(fusionAnswer("level_disabled")).as("disabled: MatMul then Add").isEqualTo(0f);
    assertThat(manager.resolve("level_disabled", "").spec().config().getOptimization().getGraph().getLevel())
        .as("kept in the served config").isEqualTo(2);
  }

  // onnxruntime_backend README "Model Config Options" (memory.enable_memory_arena_shrinkage) and
  // src/onnxruntime.cc ModelInstanceState::ModelInstanceState: a run config entry on every run, so
  // with the CPU arena off ORT refuses to shrink it and the run fails, as it does under Triton
  @Test
  void memoryArenaShrinkageIsGivenToEveryRun() throws Exception {
    write("shrink", fusionModel(), """
        parameters { key: "memory.enable_memory_arena_shrinkage" value { string_value: "cpu:0" } }
        """);
    write("shrink_no_arena", fusionModel(), """
        parameters { key: "memory.enable_memory_arena_shrinkage" value { string_value: "cpu:0" } }
        parameters { key: "enable_mem_arena" value { string_value: "0" } }
        """);

    manager = AffineModels.serve(repository);

    assertThat(fusionAnswer("shrink")).isEqualTo(1f);
    assertThat(fusionAnswer("shrink")).as("the arena shrunk after the first run serves the next").isEqualTo(1f);
    assertThatThrownBy(() -> fusionAnswer("shrink_no_arena"))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("model 'shrink_no_arena/1' onnxruntime run:")
        .hasMessageContaining("Did not find an arena based allocator registered for device-id combination in the"
            + " memory arena shrink list: cpu:0");
  }

  // onnxruntime_backend README "Model Config Options": every documented parameter on one model,
  // including session.use_device_allocator_for_initializers (a session config entry)
  @Test
  void everyDocumentedParameterOpensAServingSession() throws Exception {
    write("tuned", fusionModel(), """
        parameters { key: "intra_op_thread_count" value { string_value: "2" } }
        parameters { key: "inter_op_thread_count" value { string_value: "0" } }
        parameters { key: "execution_mode" value { string_value: "1" } }
        parameters { key: "enable_mem_arena" value { string_value: "1" } }
        parameters { key: "enable_mem_pattern" value { string_value: "0" } }
        parameters { key: "session.use_device_allocator_for_initializers" value { string_value: "1" } }
        parameters { key: "memory.enable_memory_arena_shrinkage" value { string_value: "cpu:0" } }
        optimization { graph { level: 1 } }
        """);

    manager = AffineModels.serve(repository);

    assertThat(fusionAnswer("tuned")).isEqualTo(1f);
  }

  // src/onnxruntime.cc ModelState::ModelState: execution_mode other than 0 or 1 fails the load
  // ("Expected values for execution_mode are 0 or 1 but got 2"); the other models still serve
  @Test
  void executionModeOtherThanZeroOrOneFailsTheLoad() throws Exception {
    write("parallel", fusionModel(), "parameters { key: \"execution_mode\" value { string_value: \"1\" } }");
    write("bad_mode", fusionModel(), "parameters { key: \"execution_mode\" value { string_value: \"2\" } }");

    manager = AffineModels.serve(repository);

    assertThat(fusionAnswer("parallel")).isEqualTo(1f);
    assertThat(manager.isReady("bad_mode", "")).isFalse();
    assertThatThrownBy(() -> manager.load("bad_mode"))
        .hasMessageContaining("model 'bad_mode/1' parameters.execution_mode: '2' (expected: 0 (sequential) or 1"
            + " (parallel))");
  }

  // src/onnxruntime.cc ModelState::LoadModel, CPU execution providers: a backend built without
  // OpenVINO answers any cpu_execution_accelerator "unknown Execution Accelerator ... is requested"
  @Test
  void cpuExecutionAcceleratorFailsTheLoad() throws Exception {
    write("openvino", fusionModel(),
        "optimization { execution_accelerators { cpu_execution_accelerator: [ { name: \"openvino\" } ] } }");
    write("plain", fusionModel(), "");

    manager = AffineModels.serve(repository);

    assertThat(fusionAnswer("plain")).isEqualTo(1f);
    assertThat(manager.isReady("openvino", "")).isFalse();
    assertThatThrownBy(() -> manager.load("openvino"))
        .hasMessageContaining("model 'openvino/1' optimization.execution_accelerators.cpu_execution_accelerator:"
            + " 'openvino' (expected: none");
  }

  // onnxruntime_backend README "Default Max Batch Size" and src/onnxruntime.cc AutoCompleteMaxBatch:
  // a model whose every input and output has a variable first dimension gets max_batch_size 4 (the
  // default default-max-batch-size) and, above 1 with no scheduler, dynamic_batching
  @Test
  void dynamicFirstDimensionAutocompletesTheDefaultMaxBatchSize() throws Exception {
    write("no_config", AffineModels.model(1), "");
    write("given_one", AffineModels.model(1), "max_batch_size: 1");
    write("given_eight", AffineModels.model(1), "max_batch_size: 8");

    manager = AffineModels.serve(repository);

    ModelConfig completed = manager.resolve("no_config", "").spec().config();
    assertThat(completed.getMaxBatchSize()).isEqualTo(4);
    assertThat(completed.getDynamicBatching()).isEqualTo(ModelDynamicBatching.getDefaultInstance());
    assertThat(completed.hasDynamicBatching()).isTrue();
    ModelConfig one = manager.resolve("given_one", "").spec().config();
    assertThat(one.getMaxBatchSize()).as("a given max_batch_size stands").isEqualTo(1);
    assertThat(one.hasDynamicBatching()).as("1: no dynamic batching added").isFalse();
    ModelConfig eight = manager.resolve("given_eight", "").spec().config();
    assertThat(eight.getMaxBatchSize()).isEqualTo(8);
    assertThat(eight.hasDynamicBatching()).isTrue();
    assertThat(AffineModels.infer(manager, "no_config")).containsExactly(AffineModels.expected(1), within(1e-5f));
  }

  // src/onnxruntime.cc AutoCompleteMaxBatch: a model with a fixed first dimension does not batch;
  // unset max_batch_size stays 0, and a non-zero one fails the load ("model does not support
  // batching while non-zero max_batch_size is specified")
  @Test
  void fixedFirstDimensionDoesNotAutocompleteBatching() throws Exception {
    ModelProto fixed = OnnxGraphBuilder.graph("fixed")
        .input("x", TensorProto.DataType.FLOAT, 2, 4).output("y", TensorProto.DataType.FLOAT, 2, 4)
        .identity("x", "y").build();
    write("fixed", fixed, "");
    write("fixed_batched", fixed, "max_batch_size: 4");

    manager = AffineModels.serve(repository);

    ModelConfig completed = manager.resolve("fixed", "").spec().config();
    assertThat(completed.getMaxBatchSize()).isZero();
    assertThat(completed.hasDynamicBatching()).isFalse();
    assertThat(completed.getInput(0).getDimsList()).containsExactly(2L, 4L);
    assertThat(manager.index(false)).contains(new ModelIndexEntry("fixed", "1", ModelIndexEntry.READY, ""));
    assertThat(manager.isReady("fixed_batched", "")).isFalse();
    assertThatThrownBy(() -> manager.load("fixed_batched"))
        .hasMessageContaining("max_batch_size > 0 (expected:")
        .hasMessageContaining("variable-size batch dimension -1, or max_batch_size 0)");
  }
}
