package dev.yardmaster.router.local;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.EmulatedModelManager;
import dev.yardmaster.backend.emulated.EmulatedRunnerFactory;
import dev.yardmaster.router.server.YardmasterServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A backend-only {@link YardmasterServer} in this process on ephemeral ports: what a router pool of
 * {@code kind: onnxruntime} (ONNX Runtime on CPU) or {@code kind: emulated} (ONNX Runtime computes,
 * an accelerator profile paces) is served by. The router reaches it like any KServe v2 endpoint, over
 * loopback gRPC, so health checks, balancing, retries and metrics work unchanged; the price is one
 * loopback hop per request (measured by the tour's profiles, see README). It has its own Prometheus
 * registry, scraped on its own metrics port, so its {@code nv_inference_*} series do not mix with
 * the router's.
 */
public final class InProcessBackend implements AutoCloseable {

  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final String poolName;
  private final @Nullable AcceleratorProfile emulated;
  private final @Nullable EmulatedRunnerFactory runners;
  private final YardmasterServer server;
  // kept: a stopped server no longer knows its ports, logs and tests still ask
  private final int grpcPort;
  private final int httpPort;
  private final int metricsPort;

  private InProcessBackend(String poolName, @Nullable AcceleratorProfile emulated,
      @Nullable EmulatedRunnerFactory runners, YardmasterServer server) {
    this.poolName = poolName;
    this.emulated = emulated;
    this.runners = runners;
    this.server = server;
    this.grpcPort = server.grpcPort();
    this.httpPort = server.httpPort();
    this.metricsPort = server.metricsPort();
  }

  /**
   * Loads every model of {@code repository} and serves them.
   *
   * @param emulated the device to emulate, or null for plain ONNX Runtime on CPU
   * @param cpuShare the share of a core each ONNX Runtime instance computes on (not emulated only)
   * @param maxMessageBytes the largest message it takes and answers: the router's own limit
   * @throws IllegalStateException naming the pool when the server cannot start
   */
  public static InProcessBackend start(String poolName, Path repository, @Nullable AcceleratorProfile emulated,
      CpuShare cpuShare, int maxMessageBytes) {
    ModelManager manager;
    try {
      manager = BackendManagers.of(repository, emulated, cpuShare);
    } catch (RuntimeException failure) {
      throw new IllegalStateException("pool '" + poolName + "': model_repository " + repository + ": " + failure.getMessage()
          + " (expected: a servable Triton-layout repository)", failure);
    }
    EmulatedRunnerFactory runners = manager instanceof EmulatedModelManager em ? em.runners() : null;
    PrometheusMeterRegistry registry = BackendManagers.meterRegistry(manager);
    try {
      YardmasterServer server = YardmasterServer.builder(manager)
          .httpPort(0).grpcPort(0).metricsPort(0)
          .maxMessageBytes(maxMessageBytes)
          .meterRegistry(registry)
          .poolName(poolName)
          .drainTimeout(DRAIN)
          .build()
          .start();
      return new InProcessBackend(poolName, emulated, runners, server);
    } catch (RuntimeException failure) {
      manager.close();
      throw new IllegalStateException("pool '" + poolName + "': in-process backend did not start: " + failure.getMessage(),
          failure);
    }
  }

  /** {@code 127.0.0.1:<grpc port>}: the pool's one endpoint. */
  public String grpcAddress() {
    return "127.0.0.1:" + grpcPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public String poolName() {
    return poolName;
  }

  /** The emulated device, or null for ONNX Runtime on CPU. */
  public @Nullable AcceleratorProfile emulated() {
    return emulated;
  }

  /** Executions on the emulated device so far; 0 when not emulated. */
  public long emulatedExecutions() {
    return runners == null ? 0 : runners.executions();
  }

  /** Executions the host finished later than the emulated device would have (their latency is the host's). */
  public long laggingExecutions() {
    return runners == null ? 0 : runners.laggingExecutions();
  }

  /** Graceful: in-flight inferences finish (up to 5 s), then the models are closed. Idempotent. */
  public void stop() {
    server.stop();
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return poolName + "(in-process " + (emulated == null ? "onnxruntime" : "emulated " + emulated.name()) + ", grpc "
        + grpcAddress() + ", metrics " + metricsPort() + ")";
  }
}
