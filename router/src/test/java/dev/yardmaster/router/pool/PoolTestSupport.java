package dev.yardmaster.router.pool;

import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.router.config.HealthCheckConfig;
import dev.yardmaster.router.config.OutlierDetectionConfig;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Shared set-up for the pool tests: demo backends, fake backends, configs, requests. */
final class PoolTestSupport {

  private PoolTestSupport() {}

  static YardmasterServer demoBackend(Path repository) {
    return RepositoryServers.serveAll(repository);
  }

  static void writeDemoRepository(Path repository) throws Exception {
    DemoModels.writeRepository(repository, true);
  }

  /** A batch-1 higgs_mlp_v1 request with raw FP32 contents. */
  static ModelInferRequest higgsRequest(int seed) {
    ByteBuffer features = ByteBuffer.allocate(DemoModels.HIGGS_FEATURES * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < DemoModels.HIGGS_FEATURES; i++) {
      features.putFloat((seed * 31 + i) % 7 / 7.0f);
    }
    features.flip();
    return ModelInferRequest.newBuilder()
        .setModelName(DemoModels.HIGGS_MLP_V1)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
            .setName(DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName())
            .setDatatype("FP32").addShape(1).addShape(DemoModels.HIGGS_FEATURES))
        .addRawInputContents(ByteString.copyFrom(features))
        .build();
  }

  /**
   * A pool with test-speed health checks (every 50 ms, lenient timeout: this box is shared and
   * loaded), 3 failures to eject, 1 s per try, a 50% retry budget (above 1/3, see RetryConfig).
   */
  static PoolConfig pool(String name, List<String> endpoints) {
    return PoolConfig.of(name, AcceleratorKind.CPU, 0.17, endpoints)
        .withHealthCheck(new HealthCheckConfig(50, 2000, 1, 3, List.of()))
        .withOutlierDetection(new OutlierDetectionConfig(3, 1000, 10_000, 50, true))
        .withRetry(new RetryConfig(2, 1000, 50.0, 3));
  }

  static RouterConfig router(PoolConfig... pools) {
    return new RouterConfig(0, 0, 5000, List.of(pools));
  }

  /**
   * A router (ports 0, reload off) over {@code pool} alone, returned once every endpoint of the pool
   * is healthy.
   */
  static RouterServer startRouter(PoolConfig pool) throws InterruptedException {
    RouterServer router = RouterServer.start(router(pool), null, new SimpleMeterRegistry(), 100);
    Pool started = router.pools().get(pool.name());
    await("pool '" + pool.name() + "' healthy", Duration.ofSeconds(10),
        () -> started.healthyEndpoints() == pool.endpoints().size());
    return router;
  }

  static ManagedChannel channel(int port) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking(ManagedChannel channel) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
