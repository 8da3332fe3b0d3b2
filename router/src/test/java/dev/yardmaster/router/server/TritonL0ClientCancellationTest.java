package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.WAIT;
import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's {@code qa/L0_client_cancellation} ({@code client_cancellation_test.py}) on ONNX Runtime
 * over real gRPC: the client cancels a call whose request is executing. Triton's {@code
 * custom_identity_int32} takes 10 s and the test cancels after 2 s, expecting the client's
 * cancellation error within 5 s; here the model's one instance is held by a gate, and the call must
 * end for the client while the gate is still closed. Once the execution ends, the server holds
 * nothing of the call and the next one is answered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0ClientCancellationTest {

  static final String MODEL = "custom_identity_int32";
  static final ByteString TEN = ByteString.copyFrom(new byte[] {10, 0, 0, 0});

  @TempDir Path repository;
  GatedServer gated;

  @BeforeEach
  void serve() throws Exception {
    gated = GatedServer.identity(repository, MODEL, DataType.INT32);
    gated.runners.close();
  }

  @AfterEach
  void stop() {
    gated.close();
  }

  // client_cancellation_test.py test_grpc_async_infer: async_infer, then future.cancel() while the
  // model executes; the callback gets a CancelledError.
  @Test
  void anAsyncInferCancelledWhileExecutingEndsAtOnce() throws Exception {
    ListenableFuture<ModelInferResponse> call = GRPCInferenceServiceGrpc.newFutureStub(gated.channel)
        .modelInfer(request("cancelled"));
    awaitExecuting();

    call.cancel(true);

    assertThat(catchThrowableOfType(CancellationException.class, call::get)).isNotNull();
    assertFreedOnceTheExecutionEnds();
  }

  // test_grpc_stream_infer: async_stream_infer, then stop_stream(cancel_requests=True) while the
  // model executes; the callback gets a CancelledError.
  @Test
  void aStreamCancelledWhileItsRequestExecutesEndsAtOnce() throws Exception {
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gated.channel)
        .modelStreamInfer(stream);
    requests.onNext(request("cancelled"));
    awaitExecuting();

    requests.onError(Status.CANCELLED.withDescription("stop_stream(cancel_requests=True)").asRuntimeException());

    assertCancelled(stream.ended());
    assertThat(stream.answers()).isEmpty();
    assertFreedOnceTheExecutionEnds();
  }

  // test_aio_grpc_async_infer: the asyncio client's call.cancel(); in grpc-java, cancelling the
  // Context the call was made in.
  @Test
  void anInferWhoseContextIsCancelledWhileExecutingEndsAtOnce() throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    ListenableFuture<ModelInferResponse> call = context.call(() ->
        GRPCInferenceServiceGrpc.newFutureStub(gated.channel).modelInfer(request("cancelled")));
    awaitExecuting();

    context.cancel(null);

    assertCancelled(call);
    assertFreedOnceTheExecutionEnds();
  }

  // test_aio_grpc_stream_infer: the asyncio stream's call.cancel(); no answer comes. In grpc-java,
  // cancel() on the call's request observer.
  @Test
  void aStreamCallCancelledWhileItsRequestExecutesEndsAtOnce() throws Exception {
    StreamCollector stream = new StreamCollector();
    // grpc-java's request side of a call is its ClientCallStreamObserver
    var requests = (ClientCallStreamObserver<ModelInferRequest>) GRPCInferenceServiceGrpc.newStub(gated.channel)
        .modelStreamInfer(stream);
    requests.onNext(request("cancelled"));
    awaitExecuting();

    requests.cancel("call.cancel()", null);

    assertCancelled(stream.ended());
    assertThat(stream.answers()).isEmpty();
    assertFreedOnceTheExecutionEnds();
  }

  private void awaitExecuting() throws InterruptedException {
    await("the request executing", () -> gated.runners.started.get() == 1);
  }

  /** The call ended CANCELLED while the model still holds its request. */
  private void assertCancelled(Future<?> ended) {
    ExecutionException cancelled = catchThrowableOfType(ExecutionException.class,
        () -> ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(Status.fromThrowable(cancelled.getCause()).getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(gated.server.inFlight()).as("the model still executes the request").isEqualTo(1);
  }

  /**
   * Opens the gate: the execution runs to its end, as in Triton, whose backend does not stop a
   * running request; then nothing is held and the next call is answered.
   */
  private void assertFreedOnceTheExecutionEnds() throws Exception {
    gated.runners.open();
    gated.awaitNothingHeld(MODEL);
    assertThat(gated.runners.started.get()).isEqualTo(1);
    ModelInferResponse next = TritonRequests.grpcInfer(gated.channel, request("next"));
    assertThat(next.getId()).isEqualTo("next");
    assertThat(next.getRawOutputContents(0)).isEqualTo(TEN);
  }

  /** INPUT0 [[10]] of INT32, as Triton's test sends it. */
  private static ModelInferRequest request(String id) {
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId(id)
        .addInputs(TritonRequests.tensor("INPUT0", "INT32", 1, 1)).addRawInputContents(TEN).build();
  }
}
