package dev.yardmaster.router.front.hop;

import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.policy.AcceleratorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The router under test: in its own process (the fair default) or in the load generator's JVM. */
interface HopRouter extends AutoCloseable {

  int grpcPort();

  /** The router's CPU time so far; -1 in process, where it cannot be told from the load generator's. */
  long cpuNanos();

  /** The router's own process; empty in process. */
  Optional<ProcessHandle> process();

  @Override
  void close();

  static HopRouter process(Path work, int backendPort, List<String> jvmOptions, Duration timeout) {
    RouterProcess process = RouterProcess.start(work, backendPort, jvmOptions, timeout);
    return new HopRouter() {
      @Override
      public int grpcPort() {
        return process.grpcPort();
      }

      @Override
      public long cpuNanos() {
        return process.cpuNanos();
      }

      @Override
      public Optional<ProcessHandle> process() {
        return Optional.of(process.handle());
      }

      @Override
      public void close() {
        process.close();
      }
    };
  }

  static HopRouter inProcess(int backendPort, Duration timeout) throws InterruptedException {
    RouterServer server = RouterServer.start(new RouterConfig(0, 0, 30_000, List.of(PoolConfig.of("cpu",
        AcceleratorKind.CPU, 0.17, List.of("127.0.0.1:" + backendPort)))), null, new SimpleMeterRegistry(), 1000);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (server.pools().all().get(0).healthyEndpoints() == 0) {
      if (System.nanoTime() > deadline) {
        server.stop();
        throw new IllegalStateException("router: no healthy endpoint within " + timeout);
      }
      Thread.sleep(20);
    }
    return new HopRouter() {
      @Override
      public int grpcPort() {
        return server.grpcPort();
      }

      @Override
      public long cpuNanos() {
        return -1;
      }

      @Override
      public Optional<ProcessHandle> process() {
        return Optional.empty();
      }

      @Override
      public void close() {
        server.stop();
      }
    };
  }
}
