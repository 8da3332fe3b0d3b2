package dev.yardmaster.router.server;

import static dev.yardmaster.protocol.DataType.FP32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.router.testsupport.Fp32Raw;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Port of Triton's {@code qa/L0_onnx_optimization/test.sh}: copies of {@code
 * onnx_float32_float32_float32} (version 1 only, as the script keeps it), each with the config
 * lines the script appends, served together. Triton's script runs on a GPU and greps its log for
 * the TensorRT and CUDA execution accelerators and the refusals of bad TensorRT parameters and an
 * unknown GPU accelerator; Triton's {@code LoadModel} reads those only for a GPU instance, so on a
 * CPU instance, as here, every copy loads and serves, the GPU settings unused (Yardmaster names
 * them in a load line). Each copy is checked ready and answering add/sub over gRPC.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0OnnxOptimizationTest extends ServedRepositoryTest {

  private static final String BASE = TritonQaModels.addSubName(true, FP32, FP32, FP32);


  @BeforeAll
  static void startServer() throws IOException {
    Path written = Files.createDirectories(repository.resolve("written"));
    TritonQaModels.writeAddSub(written, true, FP32, FP32, FP32, new long[] {16}, List.of(1), List.of(),
        ModelVersionPolicy.getDefaultInstance());
    Path models = Files.createDirectories(repository.resolve("models"));
    copy(written, models, "test", "");
    // CUDA EP optimization params
    copy(written, models, "cuda_config", """
        parameters: { key: "cudnn_conv_algo_search" value: { string_value: "1" }}
        parameters: { key: "arena_extend_strategy" value: { string_value: "1" }}
        parameters: { key: "gpu_mem_limit" value: { string_value: "18446744073709551614" }}
        """);
    // CPU EP optimization params
    copy(written, models, "cpu_config", """
        parameters: { key: "intra_op_thread_count" value: { string_value: "1" }}
        """);
    // GPU execution accelerators with default setting
    copy(written, models, "trt", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt"} ] } }
        """);
    // GPU execution accelerators with correct parameters
    copy(written, models, "param", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt"
        parameters { key: "precision_mode" value: "FP16" }
        parameters { key: "max_workspace_size_bytes" value: "1073741824" } }]}}
        """);
    // GPU execution accelerators with cache enabled
    copy(written, models, "cache_on", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt"
        parameters { key: "trt_engine_cache_enable" value: "1" }
        parameters { key: "trt_engine_cache_path" value: "%s" } }]}}
        """.formatted(repository.resolve("trt_cache")));
    // GPU execution accelerators with unknown parameters
    copy(written, models, "unknown_param", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt"
        parameters { key: "precision_mode" value: "FP16" }
        parameters { key: "segment_size" value: "1" } }]}}
        """);
    // GPU execution accelerators with invalid parameters
    copy(written, models, "invalid_param", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "tensorrt"
        parameters { key: "precision_mode" value: "FP16" }
        parameters { key: "max_workspace_size_bytes" value: "abc" } }]}}
        """);
    // Unknown GPU execution accelerator
    copy(written, models, "unknown_gpu", """
        optimization { execution_accelerators { gpu_execution_accelerator : [ { name : "unknown_gpu" } ] } }
        """);
    serve(models);
  }

  /** test.sh's {@code cp -r models/${MODEL}_test models/${MODEL}_<suffix>}, the name edited, lines appended. */
  private static void copy(Path from, Path models, String suffix, String appended) throws IOException {
    String name = BASE + "_" + suffix;
    Path version = Files.createDirectories(models.resolve(name).resolve("1"));
    Files.copy(from.resolve(BASE).resolve("1").resolve("model.onnx"), version.resolve("model.onnx"));
    String config = Files.readString(from.resolve(BASE).resolve("config.pbtxt"))
        .replace("name: \"" + BASE + "\"", "name: \"" + name + "\"");
    Files.writeString(models.resolve(name).resolve("config.pbtxt"), config + appended);
  }

  // qa/L0_onnx_optimization/test.sh: each model the script writes (_test, _cuda_config,
  // _cpu_config, _trt, _param, _cache_on, _unknown_param, _invalid_param, _unknown_gpu) on a CPU
  // instance, where Triton's LoadModel leaves the GPU execution providers and their settings unread
  @ParameterizedTest
  @ValueSource(strings = {"test", "cuda_config", "cpu_config", "trt", "param", "cache_on", "unknown_param",
      "invalid_param", "unknown_gpu"})
  void modelLoadsAndServesOnTheCpu(String suffix) {
    String model = BASE + "_" + suffix;
    assertThat(TritonRequests.stub(channel).modelReady(ModelReadyRequest.newBuilder().setName(model).build())
        .getReady()).as(model).isTrue();
    float[] input0 = new float[16];
    float[] input1 = new float[16];
    for (int i = 0; i < 16; i++) {
      input0[i] = i;
      input1[i] = 2 * i + 1;
    }
    ModelInferResponse response = TritonRequests.grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(model)
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", 1, 16))
        .addInputs(TritonRequests.tensor("INPUT1", "FP32", 1, 16))
        .addRawInputContents(Fp32Raw.bytes(input0)).addRawInputContents(Fp32Raw.bytes(input1)).build());

    float[] sum = new float[16];
    float[] difference = new float[16];
    for (int i = 0; i < 16; i++) {
      sum[i] = input0[i] + input1[i];
      difference[i] = input0[i] - input1[i];
    }
    assertThat(response.getOutputs(0).getName()).isEqualTo("OUTPUT0");
    assertThat(Fp32Raw.floats(response.getRawOutputContents(0))).as(model).containsExactly(sum);
    assertThat(Fp32Raw.floats(response.getRawOutputContents(1))).as(model).containsExactly(difference);
  }
}
