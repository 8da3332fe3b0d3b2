package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping an idle router (gRPC and metrics servers, one pool) is well under a second, and its port
 * is closed after: Netty's 2 s quiet period for the acceptor loops used to make every stop take 2 s.
 * A bound, not a benchmark.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterIdleStopIsQuickTest {

  /** A router on ephemeral ports with one pool whose endpoint never answers: it stays idle. */
  static RouterServer startIdle() {
    return RouterServer.start(new RouterConfig(0, 0, 5000,
        List.of(PoolConfig.of("cpu", AcceleratorKind.CPU, 0.05, List.of("127.0.0.1:9")))), null,
        new SimpleMeterRegistry(), 100);
  }

  @Test
  void anIdleRouterStopsWellUnderASecond() {
    RouterServer router = startIdle();
    int port = router.grpcPort();

    long start = System.nanoTime();
    router.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("idle stop took %s ms", took.toMillis()).isLessThan(Duration.ofMillis(1000));
    assertThat(refusesConnections(port)).as("port %d closed", port).isTrue();
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (IOException refused) {
      return true;
    }
  }
}
