package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.RouterFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.max_message_mb} through real sockets: a ModelInfer within it reaches a backend and comes back whole. */
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
  void aRequestWithinTheRoutersLimitReachesTheBackendAndComesBackWhole() throws Exception {
    startBackend(FakeModelManager.standard(), 2 * MIB);
    try (RouterFixture router = routerWithLimit(2)) {
      ModelInferRequest request = echoRequest(3 * MIB / 2);

      ModelInferResponse answer = router.stub().modelInfer(request);

      assertThat(answer.getRawOutputContents(0)).isEqualTo(request.getRawInputContents(0));
    }
  }

  private void startBackend(FakeModelManager manager, int maxMessageBytes) {
    backend = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0)
        .maxMessageBytes(maxMessageBytes).build().start();
  }

  /** A router over the backend, {@code server.max_message_mb} set; any endpoint failure ejects. */
  private RouterFixture routerWithLimit(int maxMessageMib) throws Exception {
    return RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0, max_message_mb: %d}
        pools:
          - name: cpu
            accelerator: cpu
            price_per_hour: 0.17
            endpoints: ["127.0.0.1:%d"]
            health_check: {interval_ms: 50}
            outlier_detection: {consecutive_failures: 1}   # one failure ejects
        """.formatted(maxMessageMib, backend.grpcPort()));
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
