package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.WAIT;
import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.testsupport.Fp32Raw;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Triton's {@code qa/L0_grpc_state_cleanup} ({@code cleanup_test.py}) on ONNX Runtime over real
 * gRPC: unary and streaming calls answered, cancelled, timed out, failing or cut by a server stop.
 * Triton's {@code test.sh} counts the gRPC front end's state objects created and released; here
 * what the server holds for a call is its count of inferences in flight and the model's queued and
 * in-flight requests, and after each case all are back to zero and the next request is answered.
 * Triton's {@code custom_zero_1_float32} is an FP32 identity of [1,1] held in its execution by a
 * gate, so that requests queue behind it for as long as a case needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0GrpcStateCleanupTest {

  static final String MODEL = "custom_zero_1_float32";
  static final ByteString ONE = Fp32Raw.bytes(new float[] {1f});
  static final int REQUESTS = 10;

  @TempDir Path repository;
  GatedServer gated;

  @BeforeEach
  void serve() throws Exception {
    gated = GatedServer.identity(repository, MODEL, DataType.FP32);
  }

  @AfterEach
  void stop() {
    gated.close();
  }

  // cleanup_test.py test_simple_infer: ten async infers, each answered with its input.
  @Test
  void asyncInfersAreAnsweredAndNothingIsHeldAfter() throws Exception {
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      calls.add(async().modelInfer(request(Integer.toString(i))));
    }

    for (int i = 0; i < REQUESTS; i++) {
      assertIdentity(calls.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS), Integer.toString(i));
    }
    gated.awaitNothingHeld(MODEL);
    assertThat(gated.statistics(MODEL).getSuccess().getCount()).isEqualTo(REQUESTS);
  }

  // test_simple_infer_cancellation: of ten async infers, the client cancels the sixth; here the
  // others queue behind the first so that the cancelled one is surely waiting when it goes. The
  // sixth is sent plain (the unary pass-through takes it) and gzip-compressed (grpc-java's path).
  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void anAsyncInferCancelledAmongOthersIsFreedAndTheOthersAreAnswered(String compression) throws Exception {
    List<ListenableFuture<ModelInferResponse>> calls = queueBehindABusyInstance(async().withCompression(compression));

    calls.get(5).cancel(true);
    gated.barrier();
    assertAnsweredExceptTheSixth(calls);
    assertThat(catchThrowableOfType(CancellationException.class, calls.get(5)::get)).isNotNull();
    assertFreedAndServing(REQUESTS - 1, 1);
  }

  // test_simple_infer_timeout: the sixth of ten async infers has a 0.1 s client timeout
  // ("Deadline Exceeded"); it passes while the request waits. Plain and gzip-compressed.
  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void anAsyncInferWhoseDeadlinePassesAmongOthersIsFreedAndTheOthersAreAnswered(String compression)
      throws Exception {
    List<ListenableFuture<ModelInferResponse>> calls = queueBehindABusyInstance(
        async().withCompression(compression).withDeadlineAfter(100, TimeUnit.MILLISECONDS));

    ExecutionException late = catchThrowableOfType(ExecutionException.class,
        () -> calls.get(5).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(Status.fromThrowable(late.getCause()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    gated.barrier();
    assertAnsweredExceptTheSixth(calls);
    assertFreedAndServing(REQUESTS - 1, 1);
  }

  // test_simple_infer_error_status: Triton's calls all fail there (a restricted protocol); here a
  // unary call fails at each stage it can fail at: its message does not parse, its model is
  // unknown, its input is refused, its execution fails. Each ends with a status naming the problem.
  @Test
  void unaryInfersFailingAtEachStageAreFreedAndTheNextIsAnswered() throws Exception {
    Status undecodable = ServerPassThroughTest.status(ServerPassThroughTest.post(gated.server,
        "/" + GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
        GrpcFrame.of("not a ModelInferRequest".getBytes(StandardCharsets.UTF_8))));
    // INTERNAL, as gRPC C++ (Triton's server) cancels a call whose message does not parse
    // (PayloadAsyncRequest: "Unable to parse request")
    assertThat(undecodable.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(undecodable.getDescription()).isNotBlank();

    Status unknown = TritonRequests.grpcError(gated.channel, request("unknown").toBuilder().setModelName("no_such_model")
        .build());
    assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getDescription()).contains("no_such_model");

    Status refused = TritonRequests.grpcError(gated.channel, wrongShape());
    assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getDescription()).contains("INPUT0");

    gated.runners.failWith = "execute failed on purpose";
    Status failed = TritonRequests.grpcError(gated.channel, request("fails"));
    assertThat(failed.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(failed.getDescription()).contains("execute failed on purpose");
    gated.runners.failWith = "";

    gated.awaitNothingHeld(MODEL);
    assertIdentity(TritonRequests.grpcInfer(gated.channel, request("served")), "served");
  }

  // test_simple_infer_shutdownserver: the server stops while calls are in flight. With no drain
  // time, the request executing runs to its end, the queued ones and any call after are refused or
  // cut, and none is left waiting; the model's runner is closed.
  @Test
  void aServerStopEndsEveryCallItHolds() throws Exception {
    List<ListenableFuture<ModelInferResponse>> calls = queueBehindABusyInstance(async());
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gated.channel)
        .modelStreamInfer(stream);
    requests.onNext(request("streamed"));
    await("the streamed request queued", () -> gated.queued(MODEL) == REQUESTS);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(gated.server::stop);
    await("the server stopping", () -> !gated.server.accepting());
    gated.runners.open();
    stopping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    for (ListenableFuture<ModelInferResponse> call : calls) {
      assertThat(call).as("every call ended").isDone();
    }
    assertThat(stream.ended()).as("the stream ended").isCompletedExceptionally();
    assertThat(gated.server.inFlight()).isZero();
    await("the runner closed", () -> gated.runners.closed.get() == gated.runners.opened.get());
  }

  // test_streaming_infer: ten requests on one stream, each answered once, in order.
  @Test
  void aStreamsRequestsAreAnsweredAndNothingIsHeldAfter() throws Exception {
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gated.channel)
        .modelStreamInfer(stream);
    for (int i = 0; i < REQUESTS; i++) {
      requests.onNext(request(Integer.toString(i)));
    }
    requests.onCompleted();

    stream.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(stream.answers()).hasSize(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      assertIdentity(stream.answers().get(i).getInferResponse(), Integer.toString(i));
    }
    gated.awaitNothingHeld(MODEL);
  }

  // test_streaming_cancellation: the client cancels the stream once five answers came ("Locally
  // cancelled by application!"); of the five requests left, one executes and four wait.
  @Test
  void aStreamCancelledAfterFiveAnswersIsFreed() throws Exception {
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = streamAnsweredFiveTimesThenHeld(stream, GRPCInferenceServiceGrpc
        .newStub(gated.channel));

    requests.onError(Status.CANCELLED.withDescription("Locally cancelled by application!").asRuntimeException());
    gated.barrier();
    gated.runners.open();
    assertThat(stream.answers()).hasSize(5);
    assertFreedAndServing(6, 4);
  }

  // test_streaming_timeout: the stream's 2 s timeout passes while its requests are still owed
  // ("Deadline Exceeded"); here the timeout is 0.5 s and passes with one request executing and
  // four waiting.
  @Test
  void aStreamWhoseDeadlinePassesIsFreed() throws Exception {
    StreamCollector stream = new StreamCollector();
    streamAnsweredFiveTimesThenHeld(stream, GRPCInferenceServiceGrpc.newStub(gated.channel)
        .withDeadlineAfter(500, TimeUnit.MILLISECONDS));

    ExecutionException late = catchThrowableOfType(ExecutionException.class,
        () -> stream.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(Status.fromThrowable(late.getCause()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    gated.barrier();
    gated.runners.open();
    assertFreedAndServing(6, 4);
  }

  // test_streaming_error_status: on a stream, a request whose model is unknown, one whose input is
  // refused and one whose execution fails are each answered with an error message naming the
  // problem; the stream goes on and the next request is answered.
  @Test
  void streamedRequestsFailingAtEachStageAreFreedAndTheStreamGoesOn() throws Exception {
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gated.channel)
        .modelStreamInfer(stream);
    requests.onNext(request("unknown").toBuilder().setModelName("no_such_model").build());
    requests.onNext(wrongShape());
    await("two answers", () -> stream.answers().size() == 2);
    gated.runners.failWith = "execute failed on purpose";
    requests.onNext(request("fails"));
    await("the third answer", () -> stream.answers().size() == 3);
    gated.runners.failWith = "";
    requests.onNext(request("served"));
    requests.onCompleted();

    stream.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    List<ModelStreamInferResponse> answers = stream.answers();
    assertThat(answers.get(0).getErrorMessage()).contains("no_such_model");
    assertThat(answers.get(1).getErrorMessage()).contains("INPUT0");
    assertThat(answers.get(2).getErrorMessage()).contains("execute failed on purpose");
    assertIdentity(answers.get(3).getInferResponse(), "served");
    gated.awaitNothingHeld(MODEL);
  }

  // test_streaming_error_status, a stream's message that does not parse: gRPC ends the stream
  // (INTERNAL, as for a unary call) while a request sent on it before waits; that request is dropped
  // or answered, and the server holds nothing of the stream after.
  @Test
  void aStreamEndedByAMessageThatDoesNotParseIsFreed() throws Exception {
    ListenableFuture<ModelInferResponse> busy = gated.holdInstance(request("busy"));
    byte[] queued = GrpcFrame.of(request("queued"));
    byte[] garbage = GrpcFrame.of("not a ModelInferRequest".getBytes(StandardCharsets.UTF_8));
    byte[] frames = Arrays.copyOf(queued, queued.length + garbage.length);
    System.arraycopy(garbage, 0, frames, queued.length, garbage.length);

    Status ended = ServerPassThroughTest.status(ServerPassThroughTest.post(gated.server,
        "/" + GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName(), frames));

    assertThat(ended.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertIdentity(gated.releaseInstance(busy), "busy");
    gated.awaitNothingHeld(MODEL);
    assertIdentity(TritonRequests.grpcInfer(gated.channel, request("after")), "after");
  }

  /**
   * Holds the instance with request 0 and queues requests 1 to 9 behind it, the sixth (5) sent
   * with {@code sixth}; all ten calls, in order.
   */
  private List<ListenableFuture<ModelInferResponse>> queueBehindABusyInstance(
      GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub sixth) throws InterruptedException {
    List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
    calls.add(gated.holdInstance(request("0")));
    for (int i = 1; i < REQUESTS; i++) {
      calls.add((i == 5 ? sixth : async()).modelInfer(request(Integer.toString(i))));
    }
    await("nine requests queued", () -> gated.queued(MODEL) == REQUESTS - 1);
    return calls;
  }

  /** Ten requests on a stream of {@code stub}: five answered, then the sixth executing and four queued behind it. */
  private StreamObserver<ModelInferRequest> streamAnsweredFiveTimesThenHeld(StreamCollector stream,
      GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub) throws InterruptedException {
    StreamObserver<ModelInferRequest> requests = stub.modelStreamInfer(stream);
    for (int i = 0; i < 5; i++) {
      requests.onNext(request(Integer.toString(i)));
    }
    await("five answers", () -> stream.answers().size() == 5);
    gated.runners.close();
    for (int i = 5; i < REQUESTS; i++) {
      requests.onNext(request(Integer.toString(i)));
    }
    await("one executing, four queued", () -> gated.runners.started.get() == 6 && gated.queued(MODEL) == 4);
    return requests;
  }

  /** Opens the gate; every call but the sixth is answered with its input. */
  private void assertAnsweredExceptTheSixth(List<ListenableFuture<ModelInferResponse>> calls) throws Exception {
    gated.runners.open();
    for (int i = 0; i < REQUESTS; i++) {
      if (i != 5) {
        assertIdentity(calls.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS), Integer.toString(i));
      }
    }
  }

  /**
   * {@code executed} requests ran and succeeded, {@code dropped} failed without running, the server
   * holds nothing of them, and the next request is answered.
   */
  private void assertFreedAndServing(long executed, long dropped) throws Exception {
    InferStatistics stats = gated.awaitFailures(MODEL, dropped);
    gated.awaitNothingHeld(MODEL);
    assertThat(stats.getSuccess().getCount()).isEqualTo(executed);
    assertThat(gated.executions(MODEL)).isEqualTo(executed);
    assertThat(gated.runners.started.get()).isEqualTo((int) executed);
    assertIdentity(TritonRequests.grpcInfer(gated.channel, request("after")), "after");
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async() {
    return GRPCInferenceServiceGrpc.newFutureStub(gated.channel);
  }

  /** INPUT0 [[1.0]] of FP32, as Triton's test sends it. */
  private static ModelInferRequest request(String id) {
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId(id)
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", 1, 1)).addRawInputContents(ONE).build();
  }

  /** INPUT0 said to be [1,2] with one element's bytes. */
  private static ModelInferRequest wrongShape() {
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId("refused")
        .addInputs(TritonRequests.tensor("INPUT0", "FP32", 1, 2)).addRawInputContents(ONE).build();
  }

  private static void assertIdentity(ModelInferResponse answer, String id) {
    assertThat(answer.getId()).isEqualTo(id);
    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(1L, 1L);
    assertThat(answer.getRawOutputContents(0)).isEqualTo(ONE);
  }
}
