package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A caller's idle connection stays open for minutes, not Armeria's default 15 s. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RouterKeepsIdleCallersTest {

  @Test
  void idleCallerConnectionsStayOpenForFiveMinutes() {
    RouterServer router = RouterIdleStopIsQuickTest.startIdle();
    try {
      assertThat(router.grpcIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
    } finally {
      router.stop();
    }
  }
}
