package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC and ONNX Runtime: RepositoryModelLoad's parameters as Triton reads them (a
 * {@code config} override, refused file overrides and unknown names), and RepositoryModelUnload of
 * a model that is not loaded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcLoadParametersTest {

  @TempDir Path repository;
  private YardmasterServer server;
  private ManagedChannel channel;
  private GRPCInferenceServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    server = AddSubRepository.serve(AddSubRepository.write(repository));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.stop();
  }

  @Test
  void configOverrideServesItsMaxBatchSizeUntilAPlainLoadReadsTheRepositoryAgain() throws Exception {
    ModelConfig override = config().toBuilder().setMaxBatchSize(2).clearDynamicBatching().clearInstanceGroup()
        .build();

    stub.repositoryModelLoad(load(JsonFormat.printer().preservingProtoFieldNames().print(override)));

    assertThat(config().getMaxBatchSize()).isEqualTo(2);
    assertThat(config().hasDynamicBatching()).isFalse();
    assertThat(stub.modelInfer(AddSubRepository.request(2)).getOutputs(0).getShapeList()).containsExactly(2L, 16L);
    assertError(() -> stub.modelInfer(AddSubRepository.request(3)), Status.Code.INVALID_ARGUMENT,
        "batch size: 3 (expected: <= 2, the max_batch_size)");

    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.MODEL).build());

    assertThat(config().getMaxBatchSize()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
    assertThat(stub.modelInfer(AddSubRepository.request(3)).getOutputs(0).getShapeList()).containsExactly(3L, 16L);
  }

  @Test
  void aPartialOverrideIsAutoCompletedFromTheOnnxModel() {
    stub.repositoryModelLoad(load("{\"max_batch_size\": 4}"));

    ModelConfig config = config();
    assertThat(config.getMaxBatchSize()).isEqualTo(4);
    assertThat(config.hasDynamicBatching()).isTrue();
    assertThat(config.getInputList()).extracting(input -> input.getName()).containsExactly("INPUT0", "INPUT1");
    assertThat(config.getInput(0).getDimsList()).containsExactly(16L);
    assertThat(config.getInstanceGroupList()).singleElement().satisfies(group -> {
      assertThat(group.getKind()).isEqualTo(ModelInstanceGroup.Kind.KIND_CPU);
      assertThat(group.getCount()).isEqualTo(2); // Triton's default for onnxruntime on the CPU
    });
  }

  @Test
  void onnxRuntimeParametersApplyToTheSessionAndABadValueFailsNamingTheParameter() {
    stub.repositoryModelLoad(load("{\"max_batch_size\": 4, \"parameters\": {"
        + "\"intra_op_thread_count\": {\"string_value\": \"2\"}, \"execution_mode\": {\"string_value\": \"1\"}, "
        + "\"enable_mem_arena\": {\"string_value\": \"false\"}}}"));
    assertThat(config().getParametersMap().get("intra_op_thread_count").getStringValue()).isEqualTo("2");
    assertThat(stub.modelInfer(AddSubRepository.request(3)).getOutputs(0).getShapeList()).containsExactly(3L, 16L);

    assertError(() -> stub.repositoryModelLoad(load("{\"parameters\": {\"intra_op_thread_count\": "
            + "{\"string_value\": \"two\"}}}")), Status.Code.INVALID_ARGUMENT,
        "parameters.intra_op_thread_count: 'two' (expected: an integer >= 0, 0 lets ONNX Runtime pick)");
    assertThat(config().getParametersMap().get("intra_op_thread_count").getStringValue()).isEqualTo("2");
  }

  @Test
  void kindGpuFailsToLoadOnThisHostWithItsReasonAndTheLoadedConfigKeepsServing() {
    assertError(() -> stub.repositoryModelLoad(load("{\"instance_group\": [{\"kind\": \"KIND_GPU\"}]}")),
        Status.Code.INVALID_ARGUMENT, "model 'add_sub' load config override: instance_group[0].kind: KIND_GPU "
            + "(expected: KIND_CPU or KIND_AUTO, this ONNX Runtime build has no CUDA execution provider (the GPU build is"
            + " mvn -Pgpu package))");

    assertThat(config().getMaxBatchSize()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
    assertThat(stub.modelInfer(AddSubRepository.request(1)).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void aSequenceBatcherIsRefusedNamingItAndTheLoadedConfigKeepsServing() {
    assertError(() -> stub.repositoryModelLoad(load("{\"max_batch_size\": 4, \"sequence_batching\": "
            + "{\"max_sequence_idle_microseconds\": 5000000}}")),
        Status.Code.INVALID_ARGUMENT, "model 'add_sub' load config override: sequence_batching: not supported"
            + " (expected: a stateless model, with dynamic_batching or no scheduler: Yardmaster has no sequence batcher");

    assertThat(config().getMaxBatchSize()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
    assertThat(stub.modelInfer(AddSubRepository.request(2)).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void malformedOverrideIsInvalidArgumentAndTheLoadedConfigKeepsServing() {
    assertError(() -> stub.repositoryModelLoad(load("{\"max_batch_size\": ")), Status.Code.INVALID_ARGUMENT,
        "model 'add_sub' load config override: ");

    assertThat(config().getMaxBatchSize()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
    assertThat(stub.modelInfer(AddSubRepository.request(1)).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void invalidOverrideNamesEachProblemAndItsSource() {
    assertError(() -> stub.repositoryModelLoad(load("{\"max_batch_size\": -1, \"input\": [{\"name\": \"INPUT9\", "
            + "\"data_type\": \"TYPE_FP32\", \"dims\": [16]}]}")), Status.Code.INVALID_ARGUMENT,
        "model 'add_sub' load config override: max_batch_size: -1 (expected: >= 0)");
    assertError(() -> stub.repositoryModelLoad(load("{\"max_batch_size\": \"many\"}")), Status.Code.INVALID_ARGUMENT,
        "model 'add_sub' load config override: ");
  }

  @Test
  void unknownParameterIsInvalidArgumentLikeTriton() {
    RepositoryModelLoadRequest request = RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.MODEL)
        .putParameters("conifg", ModelRepositoryParameter.newBuilder().setStringParam("{}").build()).build();

    assertError(() -> stub.repositoryModelLoad(request), Status.Code.INVALID_ARGUMENT,
        "unrecognized load parameter 'conifg'");
  }

  @Test
  void configThatIsNotAStringIsInvalidArgument() {
    RepositoryModelLoadRequest request = RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.MODEL)
        .putParameters("config", ModelRepositoryParameter.newBuilder().setBoolParam(true).build()).build();

    assertError(() -> stub.repositoryModelLoad(request), Status.Code.INVALID_ARGUMENT,
        "load parameter 'config': bool_param (expected: a string holding the model config in JSON)");
  }

  @Test
  void fileOverridesAndRepositoryNamesAreUnimplemented() {
    RepositoryModelLoadRequest withFile = RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.MODEL)
        .putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam("{}").build())
        .putParameters("file:1/model.onnx", ModelRepositoryParameter.newBuilder()
            .setBytesParam(com.google.protobuf.ByteString.copyFromUtf8("onnx")).build()).build();
    assertError(() -> stub.repositoryModelLoad(withFile), Status.Code.UNIMPLEMENTED,
        "load parameter 'file:1/model.onnx': model file overrides are not supported");

    assertError(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
            .setModelName(AddSubRepository.MODEL).setRepositoryName("models").build()),
        Status.Code.UNIMPLEMENTED, "'repository_name' specification is not supported");
    assertThat(config().getMaxBatchSize()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
  }

  @Test
  void unloadingARepositoryModelThatIsNotLoadedSucceedsAndAnUnknownOneIsNotFound() {
    assertThat(ready(AddSubRepository.SPARE)).isFalse();

    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(AddSubRepository.SPARE).build());

    assertThat(ready(AddSubRepository.SPARE)).isFalse();
    assertError(() -> stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("nope")
        .build()), Status.Code.NOT_FOUND, "model 'nope' is not found in repository");
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.SPARE).build());
    assertThat(ready(AddSubRepository.SPARE)).isTrue();
  }

  private RepositoryModelLoadRequest load(String configJson) {
    return RepositoryModelLoadRequest.newBuilder().setModelName(AddSubRepository.MODEL)
        .putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam(configJson).build()).build();
  }

  private ModelConfig config() {
    return stub.modelConfig(ModelConfigRequest.newBuilder().setName(AddSubRepository.MODEL).build()).getConfig();
  }

  private boolean ready(String model) {
    return stub.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady();
  }

  private static void assertError(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
      assertThat(error.getStatus().getCode()).isEqualTo(code);
      assertThat(error.getStatus().getDescription()).contains(messagePart);
    });
  }
}
