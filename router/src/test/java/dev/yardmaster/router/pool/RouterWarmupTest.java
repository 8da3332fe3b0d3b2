package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.front.RouterWarmup;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The router warms its forward path against its own pool before ServerReady says true. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterWarmupTest {

  @TempDir Path repository;

  @Test
  void readyOnlyAfterTheWarmUpAnsweredItsRequestsThroughThePool() throws Exception {
    PoolTestSupport.writeDemoRepository(repository);
    YardmasterServer backend = PoolTestSupport.demoBackend(repository);
    RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("cpu",
        List.of("127.0.0.1:" + backend.grpcPort()))), null, new SimpleMeterRegistry(), 100,
        new RouterWarmup(Duration.ofSeconds(30), 300, 2));
    ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
    try {
      Endpoint endpoint = router.pools().get("cpu").endpoints().get(0);
      long answeredBeforeReady = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (!PoolTestSupport.blocking(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .serverReady(ServerReadyRequest.getDefaultInstance()).getReady()) {
        answeredBeforeReady += endpoint.takeLatencyHistogram().getTotalCount();
        assertThat(System.nanoTime()).as("ready within 40 s").isLessThan(end);
        Thread.sleep(10);
      }
      answeredBeforeReady += endpoint.takeLatencyHistogram().getTotalCount();
      assertThat(answeredBeforeReady).isEqualTo(300); // the endpoint answered every warm-up request, and no more
    } finally {
      channel.shutdownNow();
      router.stop();
      backend.stop();
    }
  }

  @Test
  void noWarmUpIsReadyWithAHealthyEndpoint() throws Exception {
    PoolTestSupport.writeDemoRepository(repository);
    YardmasterServer backend = PoolTestSupport.demoBackend(repository);
    RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("cpu",
        List.of("127.0.0.1:" + backend.grpcPort()))), null, new SimpleMeterRegistry(), 100, RouterWarmup.none());
    ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
    try {
      PoolTestSupport.await("ready", Duration.ofSeconds(10), () -> PoolTestSupport.blocking(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
      assertThat(router.pools().get("cpu").endpoints().get(0).takeLatencyHistogram().getTotalCount()).isZero();
    } finally {
      channel.shutdownNow();
      router.stop();
      backend.stop();
    }
  }
}
