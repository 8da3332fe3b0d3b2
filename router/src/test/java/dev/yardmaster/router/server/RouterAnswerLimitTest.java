package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An endpoint's ModelInfer answer above the router's {@code server.max_message_mb}, through real
 * sockets: the call is refused {@code RESOURCE_EXHAUSTED} and only its own stream to the endpoint is
 * reset, so a call in flight beside it on the same router-to-endpoint connection (both come on one
 * caller channel, so on one router event loop) still gets its answer; on the pass-through path and on
 * grpc-java's ({@code -Dyardmaster.router.passThrough=false}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterAnswerLimitTest {

  private static final int MIB = 1024 * 1024;
  private static final String PASS_THROUGH_PROPERTY = "yardmaster.router.passThrough";

  @TempDir Path dir;
  private YardmasterServer backend;

  @AfterEach
  void stopBackend() {
    if (backend != null) {
      backend.stop();
    }
  }

  @ParameterizedTest(name = "pass-through {0}")
  @ValueSource(booleans = {true, false})
  void anOversizedAnswerResetsItsOwnStreamAndTheCallBesideItIsAnswered(boolean passThrough) throws Exception {
    FakeModelManager manager = FakeModelManager.standard();
    ByteBuffer large = Tensor.bytesData(List.of(new byte[3 * MIB / 2]));
    manager.add(new FakeModel(FakeModel.echo("large_answer", "1").spec(),
        request -> List.of(Tensor.of("INPUT0", DataType.BYTES, new long[] {1}, large.duplicate()))));
    backend = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0)
        .maxMessageBytes(64 * MIB).build().start();
    try (RouterFixture router = routerWithLimit(1, passThrough)) {
      FakeModel slow = manager.model("slow", "1");
      CompletableFuture<Void> gate = slow.closeGate();
      ListenableFuture<ModelInferResponse> inFlight = GRPCInferenceServiceGrpc.newFutureStub(router.channel())
          .withDeadlineAfter(20, TimeUnit.SECONDS).modelInfer(bytesRequest("slow", 16));
      RouterFixture.await("the slow call held at the model", Duration.ofSeconds(10),
          () -> slow.inFlightRequests() == 1);

      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> router.stub().modelInfer(bytesRequest("large_answer", 16)));
      gate.complete(null);

      assertThat(refused.getStatus().getCode()).as("%s", refused.getStatus())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription()).as("naming the limit").contains("1048576");
      if (passThrough) { // grpc-java's path passes on Armeria's deframer's ("Frame size ... exceeds maximum: ...")
        assertThat(refused.getStatus().getDescription()).isEqualTo("answer: more than 1048576 bytes (expected: a"
            + " message of at most 1 MiB, the router's server.max_message_mb)");
      }
      assertThat(inFlight.get(10, TimeUnit.SECONDS).getRawOutputContents(0).size())
          .as("the call in flight beside it").isEqualTo(16 + Integer.BYTES);
      assertThat(router.registry().counter("yardmaster.pool.retries", "pool", "cpu").count())
          .as("answered on its first try").isZero();
      assertThat(router.pool("cpu").describeEndpoints()).as("not held against the endpoint")
          .isEqualTo("1 endpoints, 0 ejected, 0 unhealthy");
    }
  }

  /** A router over the backend, {@code server.max_message_mb} set; any endpoint failure ejects. */
  private RouterFixture routerWithLimit(int maxMessageMib, boolean passThrough) throws Exception {
    String before = System.getProperty(PASS_THROUGH_PROPERTY);
    System.setProperty(PASS_THROUGH_PROPERTY, Boolean.toString(passThrough)); // read once, at start
    try {
      return RouterMessageLimitTest.routerWithLimit(dir, maxMessageMib, backend.grpcPort());
    } finally {
      if (before == null) {
        System.clearProperty(PASS_THROUGH_PROPERTY);
      } else {
        System.setProperty(PASS_THROUGH_PROPERTY, before);
      }
    }
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
