package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.front.RouterServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Least request with two choices sends less traffic to a slow endpoint; headers reach the endpoint. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterSkewTest {

  @Test
  void theFasterEndpointsGetMoreTrafficUnderSkewedLoad() throws Exception {
    try (FakeBackend fastA = new FakeBackend(); FakeBackend fastB = new FakeBackend();
        FakeBackend slow = new FakeBackend()) {
      fastA.delayMillis = 2;
      fastB.delayMillis = 2;
      slow.delayMillis = 60; // far apart, so a loaded shared box cannot blur the difference
      RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("gpu",
          List.of(fastA.endpoint(), fastB.endpoint(), slow.endpoint()))), null, new SimpleMeterRegistry(), 100);
      ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
      ExecutorService clients = Executors.newFixedThreadPool(12);
      try {
        Pool pool = router.pools().get("gpu");
        PoolTestSupport.await("3 healthy endpoints", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 3);
        Metadata tier = new Metadata();
        tier.put(Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER), "gold");
        var stub = PoolTestSupport.blocking(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(tier));
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
          loops.add(CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 50; i++) {
              stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(PoolTestSupport.higgsRequest(i));
            }
          }, clients));
        }
        CompletableFuture.allOf(loops.toArray(new CompletableFuture[0])).get(40, TimeUnit.SECONDS);
        System.out.printf("skewed load: fast %d, fast %d, slow %d%n", fastA.infers.get(), fastB.infers.get(),
            slow.infers.get());
        int fast = Math.min(fastA.infers.get(), fastB.infers.get());
        assertThat(fastA.infers.get() + fastB.infers.get() + slow.infers.get()).isEqualTo(600);
        assertThat(slow.infers.get()).as("slow %s vs fast %s, %s", slow.infers, fastA.infers, fastB.infers)
            .isLessThan(fast / 2);
        assertThat(slow.seenTiers).isNotEmpty().allMatch("gold"::equals);
        assertThat(pool.inFlight()).isZero();
      } finally {
        clients.shutdownNow();
        channel.shutdownNow();
        router.stop();
      }
    }
  }
}
