package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerMetadataRequest;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.server.grpc.MessageCompression;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcInferenceServiceTest {

  static FakeModelManager manager;
  static YardmasterServer server;
  static ManagedChannel channel;
  static GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024).build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  static ModelInferRequest addSub(String id, float a, float b) {
    ByteBuffer x = FakeModel.floats(filled(a));
    ByteBuffer y = FakeModel.floats(filled(b));
    return ModelInferRequest.newBuilder()
        .setModelName("add_sub").setId(id)
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("FP32").addShape(1).addShape(16))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT1").setDatatype("FP32").addShape(1).addShape(16))
        .addRawInputContents(ByteString.copyFrom(x))
        .addRawInputContents(ByteString.copyFrom(y))
        .build();
  }

  static float[] filled(float value) {
    float[] values = new float[16];
    java.util.Arrays.fill(values, value);
    return values;
  }

  static float firstFloat(ByteString raw) {
    return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
  }

  @Test
  void healthAndServerMetadata() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    ServerMetadataResponse metadata = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertThat(metadata.getName()).isEqualTo("yardmaster");
    assertThat(metadata.getVersion()).isNotEmpty();
    assertThat(metadata.getExtensionsList()).contains("model_repository", "statistics", "schedule_policy");
  }

  @Test
  void modelReadyByNameAndVersion() {
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").build()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").setVersion("2").build()).getReady())
        .isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").setVersion("9").build()).getReady())
        .isFalse();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady()).isFalse();
  }

  @Test
  void modelMetadataHasBatchDimensionAndVersions() {
    ModelMetadataResponse metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("add_sub").build());
    assertThat(metadata.getName()).isEqualTo("add_sub");
    assertThat(metadata.getVersionsList()).containsExactly("1");
    assertThat(metadata.getPlatform()).isEqualTo("fake");
    assertThat(metadata.getInputs(0).getName()).isEqualTo("INPUT0");
    assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 16L);
    assertThat(metadata.getOutputsCount()).isEqualTo(2);
    assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("echo").build()).getVersionsList())
        .containsExactly("1", "2");
  }

  @Test
  void modelConfigIsTheNormalizedConfig() {
    var config = stub.modelConfig(ModelConfigRequest.newBuilder().setName("add_sub").setVersion("1").build())
        .getConfig();
    assertThat(config.getName()).isEqualTo("add_sub");
    assertThat(config.getMaxBatchSize()).isEqualTo(8);
    assertThat(config.getInputCount()).isEqualTo(2);
  }

  @Test
  void unknownModelIsNotFoundForEveryModelRpcButStatistics() {
    assertGrpcError(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND, "model 'nope'");
    assertGrpcError(() -> stub.modelConfig(ModelConfigRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND, "model 'nope'");
    // statistics refuse it as Triton's TRITONSERVER_ServerModelStatistics does
    assertGrpcError(() -> stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("nope").build()),
        Status.Code.INVALID_ARGUMENT, "requested model 'nope' is not available");
    assertGrpcError(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("nope")
            .addInputs(InferInputTensor.newBuilder().setName("A").setDatatype("FP32").addShape(1))
            .addRawInputContents(ByteString.copyFrom(new byte[4])).build()),
        Status.Code.NOT_FOUND, "model 'nope'");
    assertGrpcError(() -> stub.modelInfer(addSub("v", 1, 1).toBuilder().setModelVersion("7").build()),
        Status.Code.NOT_FOUND, "version: 7");
  }

  @Test
  void inferAddSubWithRawTensorsEchoesIdAndVersion() {
    ModelInferResponse response = stub.modelInfer(addSub("req-42", 3, 1));
    assertThat(response.getId()).isEqualTo("req-42");
    assertThat(response.getModelName()).isEqualTo("add_sub");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getOutputsList()).extracting(ModelInferResponse.InferOutputTensor::getName)
        .containsExactly("OUTPUT0", "OUTPUT1");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 16L);
    assertThat(firstFloat(response.getRawOutputContents(0))).isEqualTo(4f);
    assertThat(firstFloat(response.getRawOutputContents(1))).isEqualTo(2f);
  }

  @Test
  void requestedOutputsSelectASubset() {
    ModelInferRequest request = addSub("subset", 3, 1).toBuilder()
        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("OUTPUT1"))
        .build();
    ModelInferResponse response = stub.modelInfer(request);
    assertThat(response.getOutputsCount()).isEqualTo(1);
    assertThat(response.getOutputs(0).getName()).isEqualTo("OUTPUT1");
    assertThat(firstFloat(response.getRawOutputContents(0))).isEqualTo(2f);
  }

  @ParameterizedTest
  @EnumSource(DataType.class)
  void everyDatatypeRoundTripsRaw(DataType type) {
    byte[] bytes = type == DataType.BYTES ? new byte[] {2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0}
        : new byte[type.elementSize() * 2];
    for (int i = 0; type != DataType.BYTES && i < bytes.length; i++) {
      bytes[i] = (byte) (i + 1);
    }
    if (type == DataType.BOOL) {
      bytes = new byte[] {1, 0};
    }
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("echo").setId("raw-" + type)
        .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype(type.wireName()).addShape(2))
        .addRawInputContents(ByteString.copyFrom(bytes))
        .build();
    ModelInferResponse response = stub.modelInfer(request);
    assertThat(response.getId()).isEqualTo("raw-" + type);
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo(type.wireName());
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(2L);
    assertThat(response.getRawOutputContents(0).toByteArray()).isEqualTo(bytes);
  }

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FP16", "BF16"}, mode = EnumSource.Mode.EXCLUDE)
  void everyTypedDatatypeIsAnsweredInRawOutputContents(DataType type) {
    InferTensorContents contents = switch (type) {
      case BOOL -> InferTensorContents.newBuilder().addBoolContents(true).addBoolContents(false).build();
      case UINT8, UINT16, UINT32 -> InferTensorContents.newBuilder().addUintContents(1).addUintContents(200).build();
      case UINT64 -> InferTensorContents.newBuilder().addUint64Contents(1).addUint64Contents(-1L).build();
      case INT8, INT16, INT32 -> InferTensorContents.newBuilder().addIntContents(-1).addIntContents(100).build();
      case INT64 -> InferTensorContents.newBuilder().addInt64Contents(-1).addInt64Contents(Long.MAX_VALUE).build();
      case FP32 -> InferTensorContents.newBuilder().addFp32Contents(1.5f).addFp32Contents(-2f).build();
      case FP64 -> InferTensorContents.newBuilder().addFp64Contents(1.5).addFp64Contents(-2e-300).build();
      case BYTES -> InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("a"))
          .addBytesContents(ByteString.copyFromUtf8("héllo")).build();
      case FP16, BF16 -> throw new IllegalArgumentException();
    };
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("echo").setId("typed")
        .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype(type.wireName()).addShape(2)
            .setContents(contents))
        .build();
    ModelInferResponse response = stub.modelInfer(request);
    // as Triton's gRPC front end: outputs always raw, little-endian (BYTES length-prefixed)
    ByteBuffer sent = ProtoTensorCodec.toInferRequest(request, 0).inputs().get(0).data();
    assertThat(response.getOutputs(0).hasContents()).isFalse();
    assertThat(response.getRawOutputContentsCount()).isEqualTo(1);
    assertThat(response.getRawOutputContents(0).asReadOnlyByteBuffer()).isEqualTo(sent);
  }

  @Test
  void unknownDatatypeIsInvalidArgument() {
    assertGrpcError(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("echo")
            .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype("FLOAT32").addShape(1))
            .addRawInputContents(ByteString.copyFrom(new byte[4])).build()),
        Status.Code.INVALID_ARGUMENT, "input 'X' datatype: FLOAT32 (expected: one of [BOOL");
  }

  @Test
  void faultyModelsFailTheirOwnRequestsOnly() {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("faulty")
        .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype("UINT8").addShape(1))
        .addRawInputContents(ByteString.copyFrom(new byte[1]));
    assertGrpcError(() -> stub.modelInfer(request.setModelVersion("1").build()),
        Status.Code.INTERNAL, "divided by zero");
    assertGrpcError(() -> stub.modelInfer(request.setModelVersion("2").build()),
        Status.Code.INTERNAL, "broke its contract");
    assertThat(stub.modelInfer(addSub("after", 1, 1)).getId()).isEqualTo("after");
  }

  @Test
  void parametersComeBack() {
    ModelInferRequest request = addSub("p", 1, 1).toBuilder()
        .putParameters("tag", InferParameter.newBuilder().setStringParam("blue").build())
        .build();
    assertThat(stub.modelInfer(request).getParametersMap().get("tag").getStringParam()).isEqualTo("blue");
  }

  @Test
  void largeMessagesAreAccepted() {
    byte[] big = new byte[8 * 1024 * 1024]; // twice grpc-java's default 4 MiB limit
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("echo")
        .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype("UINT8").addShape(big.length))
        .addRawInputContents(ByteString.copyFrom(big))
        .build();
    assertThat(stub.modelInfer(request).getRawOutputContents(0).size()).isEqualTo(big.length);
  }

  @Test
  void deflateAndGzipCompressedMessagesAreAccepted() throws Exception {
    ManagedChannel compressing = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
        .compressorRegistry(MessageCompression.compressors())
        .decompressorRegistry(MessageCompression.decompressors())
        .build();
    try {
      for (String encoding : List.of("deflate", "gzip")) {
        ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(compressing)
            .withDeadlineAfter(30, TimeUnit.SECONDS).withCompression(encoding)
            .modelInfer(addSub(encoding, 2, 3));
        assertThat(response.getId()).isEqualTo(encoding);
        assertThat(firstFloat(response.getRawOutputContents(0))).isEqualTo(5f);
      }
    } finally {
      compressing.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A ModelStreamInfer call whose answers go to {@code answers}; {@code done} ends with the stream. */
  private static StreamObserver<ModelInferRequest> openStream(List<ModelStreamInferResponse> answers,
      CompletableFuture<Void> done) {
    return GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(new StreamCollector(answers, done));
  }

  @Test
  void streamAnswersEveryRequestAndSurvivesAnError() throws Exception {
    List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests = openStream(answers, done);
    requests.onNext(addSub("s1", 1, 1));
    requests.onNext(ModelInferRequest.newBuilder().setModelName("missing").setId("s2").build());
    requests.onNext(addSub("s3", 5, 2));
    requests.onCompleted();
    done.get(10, TimeUnit.SECONDS);

    assertThat(answers).hasSize(3);
    ModelStreamInferResponse failed = answers.stream()
        .filter(a -> a.getInferResponse().getId().equals("s2")).findFirst().orElseThrow();
    assertThat(failed.getErrorMessage()).contains("model 'missing'");
    ModelStreamInferResponse last = answers.stream()
        .filter(a -> a.getInferResponse().getId().equals("s3")).findFirst().orElseThrow();
    assertThat(last.getErrorMessage()).isEmpty();
    assertThat(firstFloat(last.getInferResponse().getRawOutputContents(0))).isEqualTo(7f);
  }

  @Test
  void streamAnswersComeInRequestOrderEachMarkedFinal() throws Exception {
    CompletableFuture<Void> gate = manager.model("slow", "1").closeGate();
    try {
      List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      StreamObserver<ModelInferRequest> requests = openStream(answers, done);
      requests.onNext(ModelInferRequest.newBuilder().setModelName("slow").setId("held")
          .addInputs(InferInputTensor.newBuilder().setName("X").setDatatype("UINT8").addShape(1))
          .addRawInputContents(ByteString.copyFrom(new byte[] {7}))
          .build());
      requests.onNext(addSub("quick", 1, 1));
      requests.onNext(ModelInferRequest.newBuilder().setModelName("missing").setId("failed").build());
      requests.onCompleted();
      Thread.sleep(300); // time enough for the quick answers to overtake the held one, if they could
      assertThat(answers).as("answers behind a held request wait for it").isEmpty();

      gate.complete(null);
      done.get(10, TimeUnit.SECONDS);
      assertThat(answers).extracting(a -> a.getInferResponse().getId()).containsExactly("held", "quick", "failed");
      assertThat(answers).allSatisfy(a -> assertThat(a.getInferResponse().getParametersMap()
          .get("triton_final_response").getBoolParam()).isTrue());
      assertThat(answers.get(2).getErrorMessage()).contains("model 'missing'");
      assertThat(answers.get(2).getInferResponse().getModelName()).isEqualTo("missing");
    } finally {
      gate.complete(null);
    }
  }

  @Test
  void statisticsCountSuccessesWithTritonMeanings() {
    stub.modelInfer(addSub("stat", 1, 1));
    ModelStatistics stats = stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("add_sub").build())
        .getModelStats(0);
    assertThat(stats.getName()).isEqualTo("add_sub");
    assertThat(stats.getVersion()).isEqualTo("1");
    assertThat(stats.getInferenceStats().getSuccess().getCount()).isGreaterThanOrEqualTo(1);
    assertThat(stats.getInferenceCount()).isGreaterThanOrEqualTo(1);
    assertThat(stats.getExecutionCount()).isGreaterThanOrEqualTo(1);
    assertThat(stats.getBatchStats(0).getBatchSize()).isEqualTo(1);
    assertThat(stats.getLastInference()).isPositive();
    assertThat(stub.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsCount())
        .isEqualTo(manager.readyModels().size());
  }

  @Test
  void repositoryIndexLoadAndUnload() {
    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("slow").build());
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("slow").build()).getReady()).isFalse();
    RepositoryIndexResponse index = stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
    assertThat(index.getModelsList()).anySatisfy(model -> {
      assertThat(model.getName()).isEqualTo("slow");
      assertThat(model.getState()).isEqualTo("UNAVAILABLE");
    });
    assertThat(stub.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build()).getModelsList())
        .noneMatch(model -> model.getName().equals("slow"));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();

    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("slow").build());
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("slow").build()).getReady()).isTrue();
    assertGrpcError(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("nope").build()),
        Status.Code.NOT_FOUND, "model 'nope'");
  }

  @Test
  void benchEchoMirrorsRawContents() {
    ModelInferRequest request = addSub("bench", 1, 2);
    ModelInferResponse response = BenchEchoGrpc.newBlockingStub(channel).echo(request);
    assertThat(response.getId()).isEqualTo("bench");
    assertThat(response.getRawOutputContentsList()).isEqualTo(request.getRawInputContentsList());
    assertThat(response.getOutputs(1).getName()).isEqualTo("INPUT1");
    assertThat(response.getOutputs(1).getShapeList()).containsExactly(1L, 16L);
  }

  static void assertGrpcError(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
      assertThat(error.getStatus().getCode()).isEqualTo(code);
      assertThat(error.getStatus().getDescription()).contains(messagePart);
    });
  }
}
