package dev.yardmaster.router.testsupport;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A router for end-to-end tests: started from a config snippet (written to {@code router.yaml} in a
 * test's directory, so relative paths resolve beside it; {@code grpc_port: 0} and prices offline),
 * waited until every pool has a healthy endpoint, with a plaintext client channel; {@link #close()}
 * stops both. The file is not watched: tests of reload start their router themselves.
 */
public final class RouterFixture implements AutoCloseable {

  /** How long a router's pools may take to turn healthy (in-process ONNX pools load models first). */
  public static final Duration HEALTHY_WITHIN = Duration.ofSeconds(20);

  private final RouterServer router;
  private final ManagedChannel channel;
  private final PrometheusMeterRegistry registry;

  private RouterFixture(RouterServer router, PrometheusMeterRegistry registry) {
    this.router = router;
    this.registry = registry;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
  }

  /** A router from {@code yaml}, with its own metrics registry. */
  public static RouterFixture start(Path dir, String yaml) throws Exception {
    return start(dir, yaml, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** A router from {@code yaml} writing metrics to {@code registry}; waits until its pools are healthy. */
  public static RouterFixture start(Path dir, String yaml, PrometheusMeterRegistry registry) throws Exception {
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, yaml);
    RouterServer router = RouterServer.start(RouterConfigLoader.withOfflinePrices().load(file), null, registry, 100);
    RouterFixture fixture = new RouterFixture(router, registry);
    try {
      await("every pool of " + router.pools().names() + " has a healthy endpoint", HEALTHY_WITHIN,
          () -> router.pools().all().stream().allMatch(pool -> pool.healthyEndpoints() > 0));
    } catch (AssertionError | InterruptedException notHealthy) {
      fixture.close();
      throw notHealthy;
    }
    return fixture;
  }

  public RouterServer router() {
    return router;
  }

  public Pools pools() {
    return router.pools();
  }

  /** The named pool; fails when the config has no such pool. */
  public Pool pool(String name) {
    Pool pool = router.pools().get(name);
    if (pool == null) {
      throw new AssertionError("pool '" + name + "': missing (expected: one of " + router.pools().names() + ")");
    }
    return pool;
  }

  public ManagedChannel channel() {
    return channel;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** A blocking stub with a 10 s deadline. */
  public GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A blocking stub with a 10 s deadline sending {@code headers} on every call. */
  public GRPCInferenceServiceBlockingStub stub(Metadata headers, ClientInterceptor... more) {
    return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).withInterceptors(more);
  }

  /** Waits until {@code condition} holds, polling every 10 ms; fails naming {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    router.stop();
  }
}
