package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Admission over gRPC: tier and deadline metadata, the errors, and the response facts. */
class AdmissionGrpcTest {

  static FakeModelManager manager;
  static final List<InferRequest> recorded = new CopyOnWriteArrayList<>();
  static YardmasterServer server;
  static ManagedChannel channel;

  /** One call's outcome with the headers (or, for a trailers-only error, trailers) it carried. */
  record Answer(@Nullable ModelInferResponse response, Status status, Metadata facts) {
    String fact(String name) {
      return facts.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }
  }

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    FakeModel echo = FakeModel.echo("recorder", "1");
    manager.add(new FakeModel(echo.spec(), request -> {
      recorded.add(request);
      return request.inputs();
    }));
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  static Metadata metadata(Map<String, String> values) {
    Metadata metadata = new Metadata();
    values.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
    return metadata;
  }

  static Answer call(Map<String, String> headers, ModelInferRequest request, long deadlineMillis) {
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata(headers)),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
        ;
    if (deadlineMillis > 0) {
      stub = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }
    ModelInferResponse response = null;
    Status status = Status.OK;
    try {
      response = stub.modelInfer(request);
    } catch (StatusRuntimeException failure) {
      status = failure.getStatus();
    }
    Metadata facts = responseHeaders.get() != null ? responseHeaders.get() : trailers.get();
    
    return new Answer(response, status, facts == null ? new Metadata() : facts);
  }

  static Answer call(Map<String, String> headers, ModelInferRequest request) {
    return call(headers, request, 0); // no gRPC deadline: it would become a queue timeout
  }

  static ModelInferRequest addSub() {
    return GrpcInferenceServiceTest.addSub("a", 1, 2);
  }

  static ModelInferRequest recorder(String id) {
    return ModelInferRequest.newBuilder().setModelName("recorder").setId(id)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("INPUT0").setDatatype("BYTES").addShape(1)
            .setContents(dev.yardmaster.protocol.v2.InferTensorContents.newBuilder()
                .addBytesContents(com.google.protobuf.ByteString.copyFromUtf8(id))))
        .build();
  }

  static InferRequest recordedWithId(String id) {
    return recorded.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({"gold,gold", "GOLD,gold", "' Silver ',silver", "Bronze,bronze"})
  void eachTierIsAcceptedCaseInsensitivelyAndReported(String header, String tier) {
    Answer answer = call(Map.of("x-sla-tier", header), addSub());

    assertThat(answer.status().getCode()).isEqualTo(Status.Code.OK);
    assertThat(answer.response().getOutputsCount()).isEqualTo(2);
    assertThat(answer.fact("x-yardmaster-tier")).isEqualTo(tier);
    assertThat(answer.fact("x-yardmaster-pool")).isEqualTo("local");
    assertThat(answer.fact("x-yardmaster-model-version")).isEqualTo("1");
  }

  @Test
  void noTierHeaderGetsTheDefaultTier() {
    assertThat(call(Map.of(), addSub()).fact("x-yardmaster-tier")).isEqualTo("bronze");
  }

  @Test
  void unknownTierIsInvalidArgumentNamingTheAllowedTiers() {
    Answer answer = call(Map.of("x-sla-tier", "platinum"), addSub());

    assertThat(answer.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(answer.status().getDescription())
        .isEqualTo("x-sla-tier: \"platinum\" (expected: one of gold, silver, bronze)");
    assertThat(answer.fact("x-yardmaster-pool")).isEqualTo("local");
    assertThat(answer.fact("x-yardmaster-tier")).isNull();
  }

  @Test
  void malformedDeadlineHeaderIsInvalidArgumentNamingIt() {
    Answer answer = call(Map.of("x-deadline-ms", "soon"), addSub());

    assertThat(answer.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(answer.status().getDescription()).startsWith("x-deadline-ms: \"soon\" (expected: a positive integer");
  }

  @Test
  void deadlinePassingWhileTheModelHoldsTheRequestIsDeadlineExceeded() {
    FakeModel slow = manager.model("slow", "1");
    CompletableFuture<Void> gate = slow.closeGate();
    try {
      ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("slow").build();
      Answer answer = call(Map.of("x-sla-tier", "gold", "x-deadline-ms", "30"), request);

      assertThat(answer.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(answer.status().getDescription()).startsWith("deadline: passed after");
      assertThat(answer.fact("x-yardmaster-tier")).isEqualTo("gold");
      assertThat(answer.fact("x-yardmaster-model-version")).isEqualTo("1");
    } finally {
      gate.complete(null);
    }
  }

  @Test
  void grpcDeadlineIsHonoured() {
    FakeModel slow = manager.model("slow", "1");
    CompletableFuture<Void> gate = slow.closeGate();
    try {
      Answer answer = call(Map.of(), ModelInferRequest.newBuilder().setModelName("slow").build(), 50);
      assertThat(answer.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    } finally {
      gate.complete(null);
    }
  }

  @Test
  void tierPriorityReachesTheBatcherUnlessTheClientSetTritonsPriority() {
    call(Map.of("x-sla-tier", "gold"), recorder("gold"));
    call(Map.of("x-sla-tier", "silver"), recorder("silver"));
    call(Map.of(), recorder("default"));
    call(Map.of("x-sla-tier", "gold"), recorder("explicit").toBuilder()
        .putParameters("priority", InferParameter.newBuilder().setInt64Param(3).build()).build());

    assertThat(recordedWithId("gold").priority()).isEqualTo(1);
    assertThat(recordedWithId("silver").priority()).isEqualTo(2);
    assertThat(recordedWithId("default").priority()).isEqualTo(3);
    assertThat(recordedWithId("explicit").priority()).isEqualTo(3);
  }

  @Test
  void deadlineBecomesTheQueueTimeout() {
    call(Map.of("x-deadline-ms", "2000"), recorder("deadline"));
    call(Map.of(), recorder("no-deadline"));

    assertThat(recordedWithId("deadline").timeoutMicros()).isBetween(1_000_000L, 2_000_000L);
    assertThat(recordedWithId("no-deadline").timeoutMicros()).isZero();
  }

  @Test
  void streamMessagesAreAdmittedWithTheStreamsTier() throws Exception {
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    var stub = GRPCInferenceServiceGrpc.newStub(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(metadata(Map.of("x-sla-tier", "Gold"))),
        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));
    List<ModelStreamInferResponse> answers = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests = stub.modelStreamInfer(collect(answers, done));
    requests.onNext(recorder("stream-1"));
    requests.onNext(recorder("stream-2"));
    requests.onCompleted();
    try {
      done.get(3, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("answers " + answers + " headers " + responseHeaders.get() + " recorded " + recorded.stream().map(InferRequest::id).toList());
    }

    assertThat(answers).hasSize(2).allSatisfy(answer -> assertThat(answer.getErrorMessage()).isEmpty());
    assertThat(recordedWithId("stream-1").priority()).isEqualTo(1);
    assertThat(recordedWithId("stream-2").priority()).isEqualTo(1);
    Metadata facts = responseHeaders.get();
    assertThat(facts.get(Metadata.Key.of("x-yardmaster-tier", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("gold");
    assertThat(facts.get(Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("local");
    assertThat(facts.get(Metadata.Key.of("x-yardmaster-model-version", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("1");
  }

  @Test
  void streamWithAnUnknownTierFailsAtOpen() throws Exception {
    var stub = GRPCInferenceServiceGrpc.newStub(channel).withInterceptors(
        MetadataUtils.newAttachHeadersInterceptor(metadata(Map.of("x-sla-tier", "tin"))));
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<ModelInferRequest> requests = stub.modelStreamInfer(collect(new CopyOnWriteArrayList<>(), done));
    requests.onNext(recorder("never"));
    requests.onCompleted();

    assertThat(done).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("x-sla-tier: \"tin\" (expected: one of gold, silver, bronze)");
        });
  }

  static StreamObserver<ModelStreamInferResponse> collect(List<ModelStreamInferResponse> answers,
      CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override public void onNext(ModelStreamInferResponse answer) {
        answers.add(answer);
      }

      @Override public void onError(Throwable error) {
        done.completeExceptionally(error);
      }

      @Override public void onCompleted() {
        done.complete(null);
      }
    };
  }
}
