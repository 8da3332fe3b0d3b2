package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.RouterFixture;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.max_message_mb} through real sockets: a caller's ModelInfer above the router's limit
 * is refused, one within it reaches a backend and comes back whole, and an endpoint's answer above it
 * is refused too, since the router's endpoint clients take the same limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterMessageLimitTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private YardmasterServer backend;

  @AfterEach
  void stopBackend() {
    if (backend != null) {
      backend.stop();
    }
  }

  @Test
  void aRequestAboveTheRoutersLimitIsResourceExhausted() throws Exception {
    startBackend(FakeModelManager.standard(), 64 * MIB);
    try (RouterFixture router = routerWithLimit(1)) {
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> router.stub().modelInfer(echoRequest(3 * MIB / 2)));

      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).isEqualTo("request: more than 1048576 bytes (expected: a"
          + " message of at most 1 MiB, the router's server.max_message_mb)");
      assertThat(router.stub().modelInfer(echoRequest(MIB / 2)).getRawOutputContents(0).size())
          .as("a request within the limit, after").isEqualTo(MIB / 2 + Integer.BYTES);
    }
  }

  @Test
  void aRequestWithinTheRoutersLimitReachesTheBackendAndComesBackWhole() throws Exception {
    startBackend(FakeModelManager.standard(), 2 * MIB);
    try (RouterFixture router = routerWithLimit(2)) {
      ModelInferRequest request = echoRequest(3 * MIB / 2);

      ModelInferResponse answer = router.stub().modelInfer(request);

      assertThat(answer.getRawOutputContents(0)).isEqualTo(request.getRawInputContents(0));
    }
  }

  @Test
  void anEndpointsAnswerAboveTheRoutersLimitIsRefused() throws Exception {
    FakeModelManager manager = new FakeModelManager();
    ByteBuffer large = Tensor.bytesData(List.of(new byte[3 * MIB / 2]));
    manager.add(new FakeModel(FakeModel.echo("large_answer", "1").spec(),
        request -> List.of(Tensor.of("INPUT0", DataType.BYTES, new long[] {1}, large.duplicate()))));
    startBackend(manager, 64 * MIB);
    try (RouterFixture router = routerWithLimit(1)) {
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> router.stub().modelInfer(bytesRequest("large_answer", 16)));

      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(router.pool("cpu").describeEndpoints()).as("not held against the endpoint")
          .isEqualTo("1 endpoints, 0 ejected, 0 unhealthy");
    }
  }

  @Test
  void aRequestAboveABackendsLimitIsResourceExhaustedThereAndNotHeldAgainstItByTheRouter() throws Exception {
    startBackend(FakeModelManager.standard(), MIB);
    ManagedChannel channel = backendChannel();
    try {
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub direct = GRPCInferenceServiceGrpc
          .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> direct.modelInfer(echoRequest(3 * MIB / 2)));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).isEqualTo("request: more than 1048576 bytes (expected: a"
          + " message of at most 1 MiB, the server's --max-message-mb)");
      assertThat(direct.modelInfer(echoRequest(MIB / 2)).getRawOutputContents(0).size())
          .as("a request within the limit, after").isEqualTo(MIB / 2 + Integer.BYTES);
    } finally {
      channel.shutdownNow();
    }
    try (RouterFixture router = routerWithLimit(2)) {
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> router.stub().modelInfer(echoRequest(3 * MIB / 2)));

      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(router.pool("cpu").describeEndpoints()).as("the caller's request was too large, not the endpoint"
          + " unwell").isEqualTo("1 endpoints, 0 ejected, 0 unhealthy");
    }
  }

  @Test
  void aCompressedRequestAboveTheLimitIsResourceExhaustedAtTheServerAndTheRouter() throws Exception {
    startBackend(FakeModelManager.standard(), MIB);
    ManagedChannel channel = backendChannel();
    try {
      assertCompressedTooLarge(GRPCInferenceServiceGrpc.newBlockingStub(channel));
    } finally {
      channel.shutdownNow();
    }
    try (RouterFixture router = routerWithLimit(1)) {
      assertCompressedTooLarge(router.stub());
    }
  }

  /** gzip of random bytes is not smaller: the pass-through declines it (compressed), the general path takes it. */
  private static void assertCompressedTooLarge(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub) {
    byte[] noise = new byte[3 * MIB / 2];
    new java.util.SplittableRandom(5).nextBytes(noise);
    ModelInferRequest request = ModelInferRequest.newBuilder()
        .setModelName("echo")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("INPUT0").setDatatype("BYTES").addShape(1))
        .addRawInputContents(ByteString.copyFrom(Tensor.bytesData(List.of(noise))))
        .build();
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.withCompression("gzip").withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request));
    assertThat(refused.getStatus().getCode()).as("%s", refused.getStatus()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void aStreamMayCarryMoreThanTheLimitInAllWhenEachMessageIsWithinIt() throws Exception {
    startBackend(FakeModelManager.standard(), MIB);
    ManagedChannel channel = backendChannel();
    try {
      assertThat(streamEchoes(GRPCInferenceServiceGrpc.newStub(channel), 4, 6 * MIB / 10))
          .as("4 messages of 0.6 MiB on one stream to a 1 MiB server").isEqualTo(4);
      ExecutionException oneTooLarge = catchThrowableOfType(ExecutionException.class,
          () -> streamEchoes(GRPCInferenceServiceGrpc.newStub(channel), 1, 3 * MIB / 2));
      assertThat(Status.fromThrowable(oneTooLarge.getCause()).getCode()).as("each message is still bounded")
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    } finally {
      channel.shutdownNow();
    }
    try (RouterFixture router = routerWithLimit(1)) {
      assertThat(streamEchoes(GRPCInferenceServiceGrpc.newStub(router.channel()), 4, 6 * MIB / 10))
          .as("the same through a 1 MiB router").isEqualTo(4);
    }
  }

  /** Streams {@code count} echo requests of {@code bytes} each, then waits for the answers; returns how many came. */
  private static int streamEchoes(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub, int count, int bytes)
      throws Exception {
    StreamCollector stream = new StreamCollector();
    StreamObserver<ModelInferRequest> requests = stub.modelStreamInfer(stream);
    for (int i = 0; i < count; i++) {
      requests.onNext(echoRequest(bytes));
    }
    requests.onCompleted();
    stream.ended().get(20, TimeUnit.SECONDS);
    assertThat(stream.answers()).allSatisfy(answer -> assertThat(answer.getErrorMessage()).isEmpty());
    return stream.answers().size();
  }

  private ManagedChannel backendChannel() {
    return ManagedChannelBuilder.forAddress("127.0.0.1", backend.grpcPort()).usePlaintext()
        .maxInboundMessageSize(64 * MIB).build();
  }

  private void startBackend(FakeModelManager manager, int maxMessageBytes) {
    backend = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0)
        .maxMessageBytes(maxMessageBytes).build().start();
  }

  /** A router over the backend, {@code server.max_message_mb} set; any endpoint failure ejects. */
  private RouterFixture routerWithLimit(int maxMessageMib) throws Exception {
    return routerWithLimit(dir, maxMessageMib, backend.grpcPort());
  }

  /** A router in {@code dir} over the backend at {@code backendPort}, as {@link #routerWithLimit(int)}. */
  static RouterFixture routerWithLimit(Path dir, int maxMessageMib, int backendPort) throws Exception {
    return RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0, max_message_mb: %d}
        pools:
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["127.0.0.1:%d"]
            health_check: {interval_ms: 50}
            outlier_detection: {consecutive_failures: 1}   # one failure ejects
        """.formatted(maxMessageMib, backendPort));
  }

  /** One BYTES element of {@code bytes} bytes for the echo model, which answers it back. */
  private static ModelInferRequest echoRequest(int bytes) {
    return bytesRequest("echo", bytes);
  }

  private static ModelInferRequest bytesRequest(String model, int bytes) {
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
            .setName("INPUT0").setDatatype("BYTES").addShape(1))
        .addRawInputContents(ByteString.copyFrom(Tensor.bytesData(List.of(new byte[bytes]))))
        .build();
  }
}
