package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.grpcwire.GrpcWire;
import dev.yardmaster.router.server.grpc.UnaryPassThrough;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's unary pass-through against the gRPC service it stands in front of: one server with
 * it on (the default), one with it off, the same calls to both.
 */
class ServerPassThroughTest {

  private static final String MODEL_INFER = "/inference.GRPCInferenceService/ModelInfer";
  private static final String ECHO = "/yardmaster.bench.BenchEcho/Echo";
  private static final List<String> FACTS =
      List.of("x-yardmaster-pool", "x-yardmaster-tier", "x-yardmaster-model-version");

  static FakeModelManager manager;
  static YardmasterServer on;
  static YardmasterServer off;
  static ManagedChannel onChannel;

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    on = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    off = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).passThrough(false).build()
        .start();
    onChannel = ManagedChannelBuilder.forAddress("127.0.0.1", on.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    onChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    on.stop();
    off.stop();
  }

  /** One raw gRPC call: the frame as sent, the answer as Armeria's client received it. */
  static AggregatedHttpResponse post(YardmasterServer server, String path, byte[] frame, String... headers) {
    RequestHeadersBuilder request = RequestHeaders.builder(HttpMethod.POST, path)
        .add(HttpHeaderNames.CONTENT_TYPE, "application/grpc").add(HttpHeaderNames.TE, "trailers");
    for (int i = 0; i < headers.length; i += 2) {
      request.add(headers[i], headers[i + 1]);
    }
    return WebClient.of("h2c://127.0.0.1:" + server.grpcPort())
        .execute(HttpRequest.of(request.build(), HttpData.wrap(frame))).aggregate().join();
  }

  static Status status(AggregatedHttpResponse answer) {
    return GrpcWire.status(answer.headers(), answer.trailers());
  }

  /** Both servers answer alike: status, message bytes and the x-yardmaster facts. */
  static void assertSameAnswer(String path, byte[] frame, String... headers) {
    long before = UnaryPassThrough.answered();
    AggregatedHttpResponse passed = post(on, path, frame, headers);
    assertThat(UnaryPassThrough.answered()).as("answered by the pass-through").isEqualTo(before + 1);
    AggregatedHttpResponse general = post(off, path, frame, headers);

    assertThat(status(passed).getCode()).isEqualTo(status(general).getCode());
    assertThat(status(passed).getDescription()).isEqualTo(status(general).getDescription());
    assertThat(passed.content().array()).isEqualTo(general.content().array());
    for (String fact : FACTS) {
      assertThat(passed.headers().get(fact)).as(fact).isEqualTo(general.headers().get(fact));
    }
  }

  static byte[] frame(ModelInferRequest request) {
    return GrpcFrame.of(request);
  }

  @Test
  void modelInferTakesThePassThroughAndAnswersByteForByteAsTheGrpcService() {
    byte[] frame = frame(GrpcInferenceServiceTest.addSub("id-7", 3, 2));
    assertSameAnswer(MODEL_INFER, frame, "x-sla-tier", "gold");

    AggregatedHttpResponse passed = post(on, MODEL_INFER, frame);
    ModelInferResponse response = GrpcFrame.parse(passed.content().array(), ModelInferResponse.parser());
    assertThat(response.getId()).isEqualTo("id-7");
    assertThat(response.getOutputsCount()).isEqualTo(2);
    assertThat(passed.headers().get("x-yardmaster-pool")).isEqualTo("local");
    assertThat(passed.headers().get("x-yardmaster-model-version")).isEqualTo("1");
  }

  @Test
  void echoTakesThePassThroughAndAnswersByteForByteAsTheGrpcService() {
    assertSameAnswer(ECHO, frame(GrpcInferenceServiceTest.addSub("echoed", 1, 1)));
  }

  @Test
  void failuresAreTheSameTrailersOnlyStatuses() {
    assertSameAnswer(MODEL_INFER, frame(ModelInferRequest.newBuilder().setModelName("nope").build()));
    assertSameAnswer(MODEL_INFER, frame(GrpcInferenceServiceTest.addSub("a", 1, 1)), "x-sla-tier", "platinum");
    assertSameAnswer(MODEL_INFER, frame(GrpcInferenceServiceTest.addSub("a", 1, 1).toBuilder()
        .clearRawInputContents().build()));

    AggregatedHttpResponse unknown = post(on, MODEL_INFER, frame(ModelInferRequest.newBuilder()
        .setModelName("nope").build()));
    assertThat(status(unknown).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.headers().get(GrpcWire.GRPC_STATUS)).as("trailers-only").isEqualTo("5");
    assertThat(unknown.headers().get("x-yardmaster-pool")).isEqualTo("local");
  }

  @Test
  void malformedFrameGetsTheGrpcServicesStatus() {
    byte[] garbage = GrpcFrame.of(new byte[] {(byte) 0x0a, (byte) 0x7f, 1});
    long before = UnaryPassThrough.answered();
    AggregatedHttpResponse passed = post(on, MODEL_INFER, garbage);
    AggregatedHttpResponse general = post(off, MODEL_INFER, garbage);

    assertThat(UnaryPassThrough.answered()).isEqualTo(before);
    assertThat(status(passed).getCode()).isNotEqualTo(Status.Code.OK).isEqualTo(status(general).getCode());
    assertThat(status(passed).getDescription()).isEqualTo(status(general).getDescription());
  }

  @Test
  void gzipCompressedModelInferAndEchoTakeTheGrpcService() {
    long before = UnaryPassThrough.answered();
    ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(onChannel).withCompression("gzip")
        .withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(GrpcInferenceServiceTest.addSub("gz", 1, 2));
    ModelInferResponse echoed = BenchEchoGrpc.newBlockingStub(onChannel).withCompression("gzip")
        .withDeadlineAfter(10, TimeUnit.SECONDS).echo(GrpcInferenceServiceTest.addSub("gz-echo", 1, 2));

    assertThat(response.getId()).isEqualTo("gz");
    assertThat(echoed.getId()).isEqualTo("gz-echo");
    assertThat(UnaryPassThrough.answered()).isEqualTo(before);
  }

  @Test
  void modelStreamInferTakesTheGrpcService() throws Exception {
    long before = UnaryPassThrough.answered();
    List<ModelStreamInferResponse> answers = AdmissionStreamCompletionTest.stream(onChannel,
        GrpcInferenceServiceTest.addSub("s1", 1, 2), GrpcInferenceServiceTest.addSub("s2", 1, 2));

    assertThat(answers).extracting(answer -> answer.getInferResponse().getId()).containsExactlyInAnyOrder("s1", "s2");
    assertThat(UnaryPassThrough.answered()).isEqualTo(before);
  }

  @Test
  void grpcTimeoutShorterThanTheQueueWaitIsDeadlineExceededOnThePassThrough() {
    FakeModel slow = manager.model("slow", "1");
    CompletableFuture<Void> gate = slow.closeGate();
    try {
      long before = UnaryPassThrough.answered();
      long startNanos = System.nanoTime();
      StatusRuntimeException failure = Assertions.catchThrowableOfType(StatusRuntimeException.class,
          () -> GRPCInferenceServiceGrpc.newBlockingStub(onChannel).withDeadlineAfter(100, TimeUnit.MILLISECONDS)
              .modelInfer(ModelInferRequest.newBuilder().setModelName("slow").build()));
      AggregatedHttpResponse raw = post(on, MODEL_INFER, frame(ModelInferRequest.newBuilder().setModelName("slow")
          .build()), GrpcWire.GRPC_TIMEOUT, "100m");

      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(status(raw).getCode()).as("the server's own answer").isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(status(raw).getDescription()).startsWith("deadline: passed after");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)).isLessThan(5_000);
      assertThat(UnaryPassThrough.answered()).isEqualTo(before + 2);
    } finally {
      gate.complete(null);
    }
  }
}
