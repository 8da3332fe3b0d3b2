package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A caller's idle connection stays open for minutes, not Armeria's default 15 s. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterKeepsIdleCallersTest {

  @Test
  void idleCallerConnectionsStayOpenForFiveMinutes() {
    RouterServer router = RouterServer.start(new RouterConfig(0, 0, 5000,
        List.of(PoolConfig.of("cpu", AcceleratorKind.CPU, 0.05, List.of("127.0.0.1:9")))), null,
        new SimpleMeterRegistry(), 100);
    try {
      assertThat(router.grpcIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    } finally {
      router.stop();
    }
  }
}
