package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.TextFormat;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.MetricsScrape;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's {@code qa/L0_request_cancellation} ({@code scheduler_test.py}, {@code
 * grpc_cancellation_test.py}) on ONNX Runtime over real gRPC: a request whose client cancels it, or
 * whose gRPC deadline passes, while it waits for the model's one busy instance is answered CANCELLED
 * and never executed; the requests around it are served. The instance is held busy by a gate in
 * front of ONNX Runtime, and each cancellation is known to the server before the gate opens: a
 * ServerLive on the same connection is answered only after the server read the reset before it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0RequestCancellationTest {

  static final String DYNAMIC_BATCH = "dynamic_batch";
  static final String NO_BATCHING = "no_batching";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String ADD_SUB_JSON = """
      {"inputs": [
        {"name": "INPUT0", "shape": [1, 16], "datatype": "FP32", "data": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},
        {"name": "INPUT1", "shape": [1, 16], "datatype": "FP32", "data": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}""";

  @TempDir Path repository;
  GatedServer gated;
  GatedRunners runners;
  YardmasterServer server;
  ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    writeAddSub(repository, DYNAMIC_BATCH, true);
    writeAddSub(repository, NO_BATCHING, false);
    gated = new GatedServer(repository);
    runners = gated.runners;
    server = gated.server;
    channel = gated.channel;
  }

  @AfterEach
  void stop() {
    gated.close();
  }

  /** scheduler_test.py test_dynamic_batch_scheduler_request_cancellation */
  @Test
  void queuedRequestCancelledByItsClientIsNotExecuted() throws Exception {
    cancelledWhileQueuedIsNotExecuted(DYNAMIC_BATCH);
  }

  /** scheduler_test.py test_no_batcher_queued_request_cancellation */
  @Test
  void queuedRequestCancelledByItsClientIsNotExecutedWithoutBatching() throws Exception {
    cancelledWhileQueuedIsNotExecuted(NO_BATCHING);
  }

  private void cancelledWhileQueuedIsNotExecuted(String model) throws Exception {
    ListenableFuture<ModelInferResponse> busy = holdInstance(model);
    var async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    ListenableFuture<ModelInferResponse> cancelled = async.modelInfer(request(model, "cancelled"));
    await("the request queued", () -> gated.queued(model) == 1);

    cancelled.cancel(true);
    gated.barrier();
    ListenableFuture<ModelInferResponse> kept = async.modelInfer(request(model, "kept"));
    await("the next request queued", () -> gated.queued(model) == 2);
    releaseInstance(busy);
    assertThat(kept.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getId()).isEqualTo("kept");
    assertThat(catchThrowableOfType(CancellationException.class, cancelled::get)).isNotNull();
    InferStatistics stats = gated.awaitFailures(model, 1);
    assertThat(stats.getSuccess().getCount()).isEqualTo(2);
    assertThat(gated.executions(model)).isEqualTo(2);
    assertThat(runners.started.get()).isEqualTo(2);
    assertThat(MetricsScrape.of(server.metricsPort()))
        .contains("nv_inference_request_failure{model=\"" + model + "\",reason=\"CANCELED\",version=\"1\"} 1\n");
  }

  /** grpc_cancellation_test.py test_grpc_async_infer, with the client's deadline as the cancellation */
  @Test
  void queuedRequestWhoseDeadlinePassesIsNotExecuted() throws Exception {
    ListenableFuture<ModelInferResponse> busy = holdInstance(DYNAMIC_BATCH);

    StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
        () -> GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .modelInfer(request(DYNAMIC_BATCH, "late")));
    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    gated.barrier();
    releaseInstance(busy);
    assertOnlyTheBusyRequestRan(1);
  }

  /** scheduler_test.py test_scheduler_streaming_request_cancellation: cancelling a stream cancels its requests */
  @Test
  void cancelledStreamsQueuedRequestsAreNotExecuted() throws Exception {
    ListenableFuture<ModelInferResponse> busy = holdInstance(DYNAMIC_BATCH);
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<ModelInferRequest> stream = openStream(new AtomicInteger(), ended);
    queueThreeOn(stream);

    stream.onError(Status.CANCELLED.withDescription("client cancels").asRuntimeException());
    assertThat(ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    gated.barrier();
    releaseInstance(busy);
    assertOnlyTheBusyRequestRan(3);
  }

  /**
   * http_cancellation_test.py test_http_infer_client_disconnect, over HTTP/2: the client resets the
   * stream of a queued JSON infer; a GET on the same connection is the barrier.
   */
  @Test
  void queuedHttpRequestWhoseClientGoesAwayIsNotExecuted() throws Exception {
    WebClient http = WebClient.of(SessionProtocol.H2C, Endpoint.of("127.0.0.1", server.httpPort()));
    ListenableFuture<ModelInferResponse> busy = holdInstance(DYNAMIC_BATCH);
    com.linecorp.armeria.common.HttpResponse abandoned = http.execute(
        HttpRequest.of(HttpMethod.POST, "/v2/models/" + DYNAMIC_BATCH + "/infer", MediaType.JSON, ADD_SUB_JSON));
    await("the request queued", () -> gated.queued(DYNAMIC_BATCH) == 1);

    abandoned.abort();
    assertThat(http.blocking().get("/v2/health/live").status().code()).isEqualTo(200);
    releaseInstance(busy);
    assertOnlyTheBusyRequestRan(1);
  }

  /** A request whose x-deadline-ms budget passes while queued is answered 504 then, and never executed. */
  @Test
  void queuedRequestWhoseDeadlineBudgetPassesIsNotExecuted() throws Exception {
    ListenableFuture<ModelInferResponse> busy = holdInstance(DYNAMIC_BATCH);

    java.net.http.HttpResponse<byte[]> late = new LocalHttp(server.httpPort()).post(
        "/v2/models/" + DYNAMIC_BATCH + "/infer", ADD_SUB_JSON.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json", "x-deadline-ms", "200");
    assertThat(late.statusCode()).as(new String(late.body(), StandardCharsets.UTF_8)).isEqualTo(504);
    releaseInstance(busy);
    assertOnlyTheBusyRequestRan(1);
  }

  /** A stream the client half-closes is not cancelled: its queued requests are all answered. */
  @Test
  void halfClosedStreamsQueuedRequestsAreAnswered() throws Exception {
    ListenableFuture<ModelInferResponse> busy = holdInstance(DYNAMIC_BATCH);
    AtomicInteger answered = new AtomicInteger();
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<ModelInferRequest> stream = openStream(answered, ended);
    queueThreeOn(stream);

    stream.onCompleted();
    gated.barrier();
    releaseInstance(busy);
    assertThat(ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(answered.get()).isEqualTo(3);
    assertThat(gated.statistics(DYNAMIC_BATCH).getFail().getCount()).isZero();
  }

  /** After the gate opened: {@code dropped} requests failed, and only the request that held the instance ran. */
  private void assertOnlyTheBusyRequestRan(long dropped) throws InterruptedException {
    gated.awaitFailures(DYNAMIC_BATCH, dropped);
    assertThat(gated.executions(DYNAMIC_BATCH)).isEqualTo(1);
    assertThat(runners.started.get()).isEqualTo(1);
  }

  private void queueThreeOn(StreamObserver<ModelInferRequest> stream) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      stream.onNext(request(DYNAMIC_BATCH, "streamed-" + i));
    }
    await("the stream's requests queued", () -> gated.queued(DYNAMIC_BATCH) == 3);
  }

  /** A ModelStreamInfer stream counting its answers that are not errors, and counting down when it ends. */
  private StreamObserver<ModelInferRequest> openStream(AtomicInteger answered, CountDownLatch ended) {
    return GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(new StreamObserver<>() {
      @Override
      public void onNext(ModelStreamInferResponse value) {
        if (value.getErrorMessage().isEmpty()) {
          answered.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable t) {
        ended.countDown();
      }

      @Override
      public void onCompleted() {
        ended.countDown();
      }
    });
  }

  /** Holds the model's one instance busy with a request, returned once it executes. */
  private ListenableFuture<ModelInferResponse> holdInstance(String model) throws InterruptedException {
    return gated.holdInstance(request(model, "busy"));
  }

  /** Opens the gate: the request holding the instance is answered, then the queue runs. */
  private void releaseInstance(ListenableFuture<ModelInferResponse> busy) throws Exception {
    assertThat(gated.releaseInstance(busy).getId()).isEqualTo("busy");
  }

  private static ModelInferRequest request(String model, String id) {
    return TritonRequests.addSubRow().setModelName(model).setId(id).build();
  }

  /** add_sub under {@code name}, one instance, with or without a dynamic batcher. */
  static void writeAddSub(Path repository, String name, boolean dynamicBatching) throws Exception {
    ModelConfig.Builder config = DemoModels.config(DemoModels.ADD_SUB, false).toBuilder().setName(name);
    if (dynamicBatching) {
      config.setDynamicBatching(ModelDynamicBatching.newBuilder()); // no inline execution: the gate holds a worker
    }
    Path dir = repository.resolve(name);
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_SUB), dir.resolve("1").resolve("model.onnx"));
    Files.writeString(dir.resolve("config.pbtxt"), TextFormat.printer().printToString(config.build()),
        StandardCharsets.UTF_8);
  }
}
