package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.FP32;
import static dev.yardmaster.router.server.TritonRequests.STRINGS;
import static dev.yardmaster.router.server.TritonRequests.stub;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static dev.yardmaster.router.server.TritonRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerMetadataRequest;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.server.grpc.MessageCompression;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's {@code qa/L0_grpc} on ONNX models over the real gRPC port: {@code python_unit_test.py}'s
 * unrestricted case and what {@code test.sh} checks of the plain endpoint with Triton's example
 * clients ({@code simple_grpc_health_metadata}, {@code simple_grpc_infer_client}, {@code
 * simple_grpc_async_infer_client}, the explicit-content clients, {@code -C deflate}, streaming,
 * {@code simple_grpc_model_control}). {@code simple} is Triton's INT32 add/sub of [-1,16]; its
 * counterpart here is {@code onnx_int32_int32_int32}, which {@code test.sh} serves for the C++ unit test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0GrpcTest extends ServedTritonModels {

  static final String SIMPLE = TritonQaModels.addSubName(true, DataType.INT32, DataType.INT32, DataType.INT32);
  static final String SIMPLE_INT8 = TritonQaModels.addSubName(true, DataType.INT8, DataType.INT8, DataType.INT8);
  static final String CONTROLLED = "simple_control";

  @BeforeAll
  static void loadSimpleModels() throws Exception {
    for (DataType type : List.of(DataType.INT32, DataType.INT8)) {
      TritonQaModels.writeAddSub(repository, true, type, type, type, new long[] {16}, List.of(1), List.of(),
          ModelVersionPolicy.getDefaultInstance());
    }
    TritonRequests.write(repository, CONTROLLED, DemoModels.ADD_SUB,
        DemoModels.config(DemoModels.ADD_SUB, false).toBuilder().setName(CONTROLLED).build());
    for (String model : List.of(SIMPLE, SIMPLE_INT8, CONTROLLED)) {
      stub(channel).repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(model).build());
    }
  }

  // python_unit_test.py RestrictedProtocolTest.test_sanity: with no protocol restricted, statistics
  // answer with or without an extra header.
  @Test
  void statisticsAnswerWithOrWithoutAHeader() {
    ModelStatisticsRequest request = ModelStatisticsRequest.newBuilder().setName(SIMPLE).build();

    assertThat(stub(channel).modelStatistics(request).getModelStats(0).getName()).isEqualTo(SIMPLE);
    assertThat(withHeaders("triton-grpc-protocol-infer-key", "infer-value").modelStatistics(request)
        .getModelStats(0).getName()).isEqualTo(SIMPLE);
  }

  // test.sh simple_grpc_health_metadata.py: live (with headers test: 1, dummy: 2), ready, the model
  // ready, server and model metadata, config; an unknown model's metadata is an error naming it.
  @Test
  void healthMetadataAndConfigOfTheSimpleModel() {
    assertThat(withHeaders("test", "1", "dummy", "2").serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
        .isTrue();
    assertThat(stub(channel).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub(channel).modelReady(ModelReadyRequest.newBuilder().setName(SIMPLE).build()).getReady()).isTrue();
    assertThat(stub(channel).serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
        .isEqualTo(ModelProtos.SERVER_NAME); // Triton's is "triton"
    assertThat(withHeaders("test", "1", "dummy", "2").modelMetadata(ModelMetadataRequest.newBuilder()
        .setName(SIMPLE).build()).getName()).isEqualTo(SIMPLE);
    assertThat(stub(channel).modelConfig(ModelConfigRequest.newBuilder().setName(SIMPLE).build()).getConfig()
        .getName()).isEqualTo(SIMPLE);

    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> stub(channel)
        .modelMetadata(ModelMetadataRequest.newBuilder().setName("wrong_model_name").build()));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getStatus().getDescription()).contains("wrong_model_name");
  }

  // test.sh simple_grpc_infer_client.py: INPUT0 0..15 and INPUT1 ones, OUTPUT0 the sum and OUTPUT1
  // the difference, with a request id and headers.
  @Test
  void simpleInferAddsAndSubtracts() {
    ModelInferResponse answer = withHeaders("test", "1").modelInfer(simple("simple"));

    assertSimple(answer, "simple");
  }

  // test.sh simple_grpc_async_infer_client.py: the same, answered to a callback.
  @Test
  void simpleAsyncInferAddsAndSubtracts() throws Exception {
    ModelInferResponse answer = GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .modelInfer(simple("async")).get(30, TimeUnit.SECONDS);

    assertSimple(answer, "async");
  }

  // test.sh grpc_explicit_int_content_client.py: INT32 inputs as int_contents; then raw contents as
  // well as int_contents for INPUT0, an error ("contents field must not be specified when using
  // raw_input_contents for 'INPUT0'"). The answer is in raw_output_contents whatever the inputs
  // were, as Triton's (src/grpc/infer_handler.cc ResponseAllocatorHelper), where the client reads it.
  @Test
  void explicitIntContentsAddAndSubtract() {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(SIMPLE).setId("int");
    InferTensorContents.Builder input0 = InferTensorContents.newBuilder();
    InferTensorContents.Builder input1 = InferTensorContents.newBuilder();
    for (int i = 0; i < 16; i++) {
      input0.addIntContents(i);
      input1.addIntContents(1);
    }
    request.addInputs(tensor("INPUT0", "INT32", 1, 16).setContents(input0))
        .addInputs(tensor("INPUT1", "INT32", 1, 16).setContents(input1));

    ModelInferResponse answer = stub(channel).modelInfer(request.build());

    // answered in raw_output_contents, where the example client reads them, as Triton answers
    ByteBuffer sum = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer difference = answer.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      assertThat(sum.getInt()).as("OUTPUT0[%d]", i).isEqualTo(i + 1);
      assertThat(difference.getInt()).as("OUTPUT1[%d]", i).isEqualTo(i - 1);
    }
    Status both = TritonRequests.grpcError(channel, request.addRawInputContents(simple("raw").getRawInputContents(0))
        .build());
    assertThat(both.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(both.getDescription()).contains("'INPUT0' contents", "raw_input_contents");
  }

  // test.sh grpc_explicit_int8_content_client.py: INT8 inputs as int_contents.
  @Test
  void explicitInt8ContentsAddAndSubtract() {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(SIMPLE_INT8);
    InferTensorContents.Builder input0 = InferTensorContents.newBuilder();
    InferTensorContents.Builder input1 = InferTensorContents.newBuilder();
    for (int i = 0; i < 16; i++) {
      input0.addIntContents(i);
      input1.addIntContents(1);
    }
    request.addInputs(tensor("INPUT0", "INT8", 1, 16).setContents(input0))
        .addInputs(tensor("INPUT1", "INT8", 1, 16).setContents(input1));

    ModelInferResponse answer = stub(channel).modelInfer(request.build());

    for (int i = 0; i < 16; i++) { // raw, one byte each, as Triton answers
      assertThat(answer.getRawOutputContents(0).byteAt(i)).as("OUTPUT0[%d]", i).isEqualTo((byte) (i + 1));
      assertThat(answer.getRawOutputContents(1).byteAt(i)).as("OUTPUT1[%d]", i).isEqualTo((byte) (i - 1));
    }
  }

  // test.sh grpc_explicit_byte_content_client.py: BYTES elements sent as bytes_contents come back
  // serialized in raw_output_contents, as Triton answers them.
  @Test
  void explicitByteContentsRoundTrip() {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    byte[][] elements = utf8("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16");
    for (byte[] element : elements) {
      contents.addBytesContents(ByteString.copyFrom(element));
    }
    ModelInferResponse answer = stub(channel).modelInfer(ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 16).setContents(contents)).build());

    assertThat(answer.getRawOutputContents(0)).isEqualTo(TritonRequests.serialized(elements));
  }

  // test.sh's -C deflate runs (and gzip): compressed requests, unary and streamed, are answered.
  @Test
  void compressedUnaryAndStreamedRequestsAreAnswered() throws Exception {
    ManagedChannel compressing = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
        .compressorRegistry(MessageCompression.compressors()).decompressorRegistry(MessageCompression.decompressors())
        .build();
    try {
      for (String encoding : List.of("deflate", "gzip")) {
        assertSimple(stub(compressing).withCompression(encoding).modelInfer(simple(encoding)), encoding);

        StreamCollector answers = new StreamCollector();
        StreamObserver<ModelInferRequest> stream = GRPCInferenceServiceGrpc.newStub(compressing)
            .withDeadlineAfter(30, TimeUnit.SECONDS).withCompression(encoding).modelStreamInfer(answers);
        stream.onNext(simple(encoding + "-streamed"));
        stream.onCompleted();
        answers.ended().get(30, TimeUnit.SECONDS);
        assertSimple(answers.answers().get(0).getInferResponse(), encoding + "-streamed");
      }
    } finally {
      compressing.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  // test.sh's streaming clients (image_client --streaming, simple_grpc_sequence_stream_infer_client
  // without sequences): each request on a stream is answered once, in order; a failed request is an
  // answer with error_message, as Triton's ModelStreamInfer sends it, and the stream goes on.
  @Test
  void aStreamAnswersEachRequestAndCarriesErrorsAsMessages() throws Exception {
    List<ModelStreamInferResponse> all = TritonRequests.streamAnswers(channel, simple("first"),
        simple("unknown").toBuilder().setModelName("wrong_model_name").build(), simple("last"));

    assertThat(all).hasSize(3);
    assertSimple(all.get(0).getInferResponse(), "first");
    assertThat(all.get(1).getErrorMessage()).contains("wrong_model_name");
    assertThat(all.get(1).getInferResponse().getId()).isEqualTo("unknown");
    assertSimple(all.get(2).getInferResponse(), "last");
  }

  // grpc_client.py sends 1 MB; large messages: 16 MiB of FP32, past grpc-java's 4 MiB default and
  // within the server's 64 MiB limit, round-trip unary and streamed.
  @Test
  void aSixteenMebibyteTensorRoundTrips() throws Exception {
    ManagedChannel large = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
        .maxInboundMessageSize(32 << 20).build();
    try {
      int floats = 4 << 20;
      ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(FP32).setId("large")
          .addInputs(tensor("INPUT0", "FP32", 1, floats)).addRawInputContents(TritonRequests.raw(floats)).build();

      assertThat(stub(large).modelInfer(request).getRawOutputContents(0)).isEqualTo(request.getRawInputContents(0));

      StreamCollector answers = new StreamCollector();
      StreamObserver<ModelInferRequest> stream = GRPCInferenceServiceGrpc.newStub(large)
          .withDeadlineAfter(30, TimeUnit.SECONDS).modelStreamInfer(answers);
      stream.onNext(request);
      stream.onCompleted();
      answers.ended().get(30, TimeUnit.SECONDS);
      assertThat(answers.answers().get(0).getInferResponse().getRawOutputContents(0))
          .isEqualTo(request.getRawInputContents(0));
    } finally {
      large.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  // test.sh simple_grpc_model_control.py: the index lists the models; load makes ready; a malformed
  // config override fails the load; {"max_batch_size":"16"} overrides the config; unload makes not
  // ready; a file override is refused with the server still live; an unknown model fails to load.
  @Test
  void modelControlLoadsOverridesAndUnloads() {
    assertThat(stub(channel).repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList())
        .extracting(entry -> entry.getName()).contains(SIMPLE, CONTROLLED, FP32, STRINGS);
    stub(channel).repositoryModelLoad(load(CONTROLLED).build());
    assertThat(ready(CONTROLLED)).isTrue();

    StatusRuntimeException malformed = catchThrowableOfType(StatusRuntimeException.class, () -> stub(channel)
        .repositoryModelLoad(withConfig(load(CONTROLLED), "\"parameters\": {\"config\": {{\"max_batch_size\": \"16\"}}}")
            .build()));
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(malformed.getStatus().getDescription()).contains(CONTROLLED);

    stub(channel).repositoryModelLoad(withConfig(load(CONTROLLED), "{\"max_batch_size\":\"16\"}").build());
    assertThat(stub(channel).modelConfig(ModelConfigRequest.newBuilder().setName(CONTROLLED).build()).getConfig()
        .getMaxBatchSize()).isEqualTo(16);

    stub(channel).repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(CONTROLLED).build());
    assertThat(ready(CONTROLLED)).isFalse();

    StatusRuntimeException file = catchThrowableOfType(StatusRuntimeException.class, () -> stub(channel)
        .repositoryModelLoad(withConfig(load(CONTROLLED), "{}").putParameters("file:" + "A".repeat(256),
            ModelRepositoryParameter.newBuilder().setBytesParam(ByteString.copyFromUtf8("a")).build()).build()));
    assertThat(file.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED); // Triton: INVALID_ARG, no such file support here
    assertThat(stub(channel).serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();

    StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(channel).repositoryModelLoad(load("wrong_model_name").build()));
    assertThat(unknown.getStatus().getDescription()).contains("wrong_model_name");
    stub(channel).repositoryModelLoad(load(CONTROLLED).build());
    assertThat(ready(CONTROLLED)).isTrue();
  }

  private static RepositoryModelLoadRequest.Builder load(String model) {
    return RepositoryModelLoadRequest.newBuilder().setModelName(model);
  }

  private static RepositoryModelLoadRequest.Builder withConfig(RepositoryModelLoadRequest.Builder load, String json) {
    return load.putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam(json).build());
  }

  private static boolean ready(String model) {
    return stub(channel).modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady();
  }

  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub withHeaders(String... nameValues) {
    Metadata headers = new Metadata();
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.put(Metadata.Key.of(nameValues[i], Metadata.ASCII_STRING_MARSHALLER), nameValues[i + 1]);
    }
    return stub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** simple's request: INPUT0 0..15, INPUT1 ones, both raw INT32. */
  private static ModelInferRequest simple(String id) {
    ByteBuffer input0 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer input1 = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      input0.putInt(i);
      input1.putInt(1);
    }
    return ModelInferRequest.newBuilder().setModelName(SIMPLE).setId(id)
        .addInputs(tensor("INPUT0", "INT32", 1, 16)).addInputs(tensor("INPUT1", "INT32", 1, 16))
        .addRawInputContents(ByteString.copyFrom(input0.array()))
        .addRawInputContents(ByteString.copyFrom(input1.array())).build();
  }

  private static void assertSimple(ModelInferResponse answer, String id) {
    assertThat(answer.getId()).isEqualTo(id);
    assertThat(answer.getModelName()).isEqualTo(SIMPLE);
    ByteBuffer sum = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer difference = answer.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 16; i++) {
      assertThat(sum.getInt()).as("OUTPUT0[%d]", i).isEqualTo(i + 1);
      assertThat(difference.getInt()).as("OUTPUT1[%d]", i).isEqualTo(i - 1);
    }
  }
}
