package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.WAIT;
import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadResponse;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.testsupport.Http11;
import dev.yardmaster.router.testsupport.RepositoryServers;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
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
 * Triton's {@code qa/L0_client_timeout} ({@code client_timeout_test.py}, {@code
 * client_infer_timeout_test.py}, {@code client_non_infer_timeout_test.py}) on ONNX Runtime over real
 * gRPC and HTTP. Triton's {@code custom_identity_int32} takes 3 s to execute; here an INT32
 * identity model's one instance is held by a gate for as long as a client's deadline needs to pass,
 * and loads are held the same way. A client that gave up must leave the server serving: the next
 * call with a long deadline is answered in full.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0ClientTimeoutTest {

  static final String MODEL = "custom_identity_int32";
  static final Duration SHORT = Duration.ofMillis(300);
  static final ByteString TEN = ByteString.copyFrom(new byte[] {10, 0, 0, 0});

  @TempDir Path repository;
  final GatedRunners runners = new GatedRunners();
  RepositoryModelManager manager;
  YardmasterServer server;
  ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    TritonRequests.write(repository, MODEL, DemoModels.identityModelName(DataType.INT32),
        DemoModels.identityConfig(DataType.INT32).toBuilder().setName(MODEL).build());
    manager = new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadAllModels());
    server = RepositoryServers.start(manager);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() {
    runners.release(channel, server);
  }

  // client_timeout_test.py / client_infer_timeout_test.py test_grpc_infer: the model outlasts a
  // 0.2 s deadline (DEADLINE_EXCEEDED), then a 10 s deadline gets [[10]] back.
  @Test
  void unaryInferPastItsDeadlineFailsAndTheNextIsServed() throws Exception {
    runners.close();
    StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(SHORT).modelInfer(request("late")));

    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(runners.started.get()).as("the late request was executing").isEqualTo(1);
    runners.open();
    assertIdentity(stub(WAIT).modelInfer(request("served")), "served");
    InferStatistics stats = awaitCompleted(2);
    assertThat(stats.getFail().getCount()).as("an executed request counts as Triton's backend reports it").isZero();
  }

  // test_grpc_async_infer: the same with the asynchronous client's callback.
  @Test
  void asyncInferPastItsDeadlineFailsAndTheNextIsServed() throws Exception {
    runners.close();
    ListenableFuture<ModelInferResponse> late = async(SHORT).modelInfer(request("late"));

    ExecutionException failed = catchThrowableOfType(ExecutionException.class,
        () -> late.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(Status.fromThrowable(failed.getCause()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    runners.open();
    assertIdentity(async(WAIT).modelInfer(request("served")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "served");
    awaitCompleted(2);
  }

  // test_grpc_stream_infer: a stream opened with a 1 s timeout ends DEADLINE_EXCEEDED while its
  // request executes (the C++ client's "Stream has been closed"); one with 100 s is answered, then
  // closes cleanly.
  @Test
  void streamPastItsDeadlineEndsAndTheNextStreamIsServed() throws Exception {
    runners.close();
    StreamCollector late = new StreamCollector();
    StreamObserver<ModelInferRequest> lateStream = streaming(Duration.ofSeconds(1)).modelStreamInfer(late);
    lateStream.onNext(request("late"));

    Throwable ended = catchThrowableOfType(ExecutionException.class,
        () -> late.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).getCause();
    assertThat(Status.fromThrowable(ended).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(late.answers()).isEmpty();
    runners.open();

    StreamCollector served = new StreamCollector();
    StreamObserver<ModelInferRequest> stream = streaming(Duration.ofSeconds(100)).modelStreamInfer(served);
    stream.onNext(request("served"));
    await("the streamed answer", () -> served.answers().size() == 1);
    stream.onCompleted();
    served.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    ModelStreamInferResponse answer = served.answers().get(0);
    assertThat(answer.getErrorMessage()).isEmpty();
    assertIdentity(answer.getInferResponse(), "served");
  }

  // test_http_infer: an HTTP client whose network timeout passes while the model executes times
  // out; a client with a long timeout gets [[10]] back.
  @Test
  void httpInferPastTheClientTimeoutFailsAndTheNextIsServed() throws Exception {
    runners.close();
    HttpClient client = Http11.client();

    assertThat(catchThrowableOfType(HttpTimeoutException.class,
        () -> client.send(httpRequest(SHORT), HttpResponse.BodyHandlers.ofString()))).isNotNull();
    runners.open();
    assertHttpIdentity(client.send(httpRequest(WAIT), HttpResponse.BodyHandlers.ofString()));
    awaitCompleted(2);
  }

  // test_http_async_infer: the same with the asynchronous HTTP client.
  @Test
  void httpAsyncInferPastTheClientTimeoutFailsAndTheNextIsServed() throws Exception {
    runners.close();
    HttpClient client = Http11.client();

    ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> client
        .sendAsync(httpRequest(SHORT), HttpResponse.BodyHandlers.ofString()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(failed.getCause()).isInstanceOf(HttpTimeoutException.class);
    runners.open();
    assertHttpIdentity(client.sendAsync(httpRequest(WAIT), HttpResponse.BodyHandlers.ofString())
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    awaitCompleted(2);
  }

  // test.sh's gRPC deadline, enforced by the server (gRPC core ends a call whose grpc-timeout passed
  // with DEADLINE_EXCEEDED): a raw call sending grpc-timeout: 300m, from a client that enforces no
  // deadline of its own, is answered DEADLINE_EXCEEDED by the server while the model still holds it;
  // unary ModelInfer (the pass-through) and ModelStreamInfer (grpc-java) alike.
  @ParameterizedTest
  @ValueSource(strings = {"ModelInfer", "ModelStreamInfer"})
  void theServerEndsACallWhoseGrpcTimeoutPasses(String method) throws Exception {
    runners.close();

    AggregatedHttpResponse answer = ServerPassThroughTest.post(server,
        "/" + GRPCInferenceServiceGrpc.SERVICE_NAME + "/" + method, GrpcFrame.of(request("late")),
        "grpc-timeout", "300m");

    assertThat(ServerPassThroughTest.status(answer).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(runners.started.get()).as("still executing").isEqualTo(1);
    runners.open();
    assertIdentity(stub(WAIT).modelInfer(request("served")), "served");
  }

  // client_non_infer_timeout_test.py test_grpc_load_model: a load that outlasts its 0.1 s deadline
  // fails DEADLINE_EXCEEDED for the client; the load itself goes on (Triton's handler loads
  // whether or not the client still waits), and unload and load with 5 s deadlines succeed.
  @Test
  void loadPastItsDeadlineFailsForTheClientAndTheModelStillLoads() throws Exception {
    stub(WAIT).repositoryModelUnload(unload());
    runners.closeLoads();
    int opened = runners.opening.get();

    StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(SHORT).repositoryModelLoad(load()));

    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(runners.opening.get()).as("the load was opening the model").isEqualTo(opened + 1);
    runners.openLoads();
    await("the abandoned load to finish", () -> manager.isReady(MODEL, ""));
    stub(WAIT).repositoryModelUnload(unload());
    assertThat(ready()).isFalse();
    stub(WAIT).repositoryModelLoad(load());
    assertThat(ready()).isTrue();
    assertIdentity(stub(WAIT).modelInfer(request("served")), "served");
  }

  // test_grpc_load_model with the deadline enforced by the server: a raw RepositoryModelLoad sending
  // grpc-timeout: 100m from a client with no deadline of its own is ended DEADLINE_EXCEEDED while
  // the load is held (gRPC core's answer); the load goes on.
  @Test
  void theServerEndsALoadWhoseGrpcTimeoutPasses() throws Exception {
    stub(WAIT).repositoryModelUnload(unload());
    runners.closeLoads();

    AggregatedHttpResponse answer = ServerPassThroughTest.post(server,
        "/" + GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod().getFullMethodName(), GrpcFrame.of(load()),
        "grpc-timeout", "100m");

    assertThat(ServerPassThroughTest.status(answer).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    runners.openLoads();
    await("the abandoned load to finish", () -> manager.isReady(MODEL, ""));
  }

  // test_grpc_unload_model: an unload that outlasts its deadline (here waiting for a held load of the
  // same model) fails DEADLINE_EXCEEDED; it still takes effect, and load and unload then succeed.
  @Test
  void unloadPastItsDeadlineFailsForTheClientAndStillTakesEffect() throws Exception {
    stub(WAIT).repositoryModelUnload(unload()); // so that the next load opens the model again
    runners.closeLoads();
    int opened = runners.opening.get();
    ListenableFuture<RepositoryModelLoadResponse> held = async(WAIT).repositoryModelLoad(load());
    await("the load opening the model", () -> runners.opening.get() == opened + 1);

    StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub(SHORT).repositoryModelUnload(unload()));

    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    runners.openLoads();
    held.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await("the abandoned unload to take effect", () -> !manager.isReady(MODEL, ""));
    stub(WAIT).repositoryModelLoad(load());
    stub(WAIT).repositoryModelUnload(unload());
    assertThat(ready()).isFalse();
    stub(WAIT).repositoryModelLoad(load());
    assertThat(ready()).isTrue();
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(Duration deadline) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async(Duration deadline) {
    return GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private GRPCInferenceServiceGrpc.GRPCInferenceServiceStub streaming(Duration deadline) {
    return GRPCInferenceServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean ready() {
    return stub(WAIT).modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady();
  }

  /** The model's statistics once {@code count} requests completed, successfully or not. */
  private InferStatistics awaitCompleted(long count) throws InterruptedException {
    await(count + " requests in the statistics", () -> {
      InferStatistics stats = statistics();
      return stats.getSuccess().getCount() + stats.getFail().getCount() >= count;
    });
    return statistics();
  }

  private InferStatistics statistics() {
    return stub(WAIT).modelStatistics(ModelStatisticsRequest.newBuilder().setName(MODEL).build())
        .getModelStats(0).getInferenceStats();
  }

  private static RepositoryModelUnloadRequest unload() {
    return RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build();
  }

  private static RepositoryModelLoadRequest load() {
    return RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build();
  }

  /** INPUT0 [[10]] of INT32, as Triton's test sends it. */
  private static ModelInferRequest request(String id) {
    return ModelInferRequest.newBuilder().setModelName(MODEL).setId(id)
        .addInputs(TritonRequests.tensor("INPUT0", "INT32", 1, 1)).addRawInputContents(TEN).build();
  }

  private static void assertIdentity(ModelInferResponse answer, String id) {
    assertThat(answer.getId()).isEqualTo(id);
    assertThat(answer.getOutputs(0).getName()).isEqualTo("OUTPUT0");
    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(1L, 1L);
    assertThat(answer.getRawOutputContents(0)).isEqualTo(TEN);
  }

  private HttpRequest httpRequest(Duration timeout) {
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,1],\"datatype\":\"INT32\",\"data\":[10]}],"
        + "\"outputs\":[{\"name\":\"OUTPUT0\"}]}";
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/" + MODEL + "/infer"))
        .timeout(timeout).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static void assertHttpIdentity(HttpResponse<String> answer) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(BinaryInferBody.JSON.readTree(answer.body()).at("/outputs/0/data").toString()).isEqualTo("[10]");
  }
}
