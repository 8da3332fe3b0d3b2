package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload adds and removes endpoints while requests are in flight, and keeps the old config when
 * the new one is bad; files are overwritten in place, and each is acted on once, whole.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterConfigReloadTest {

  @TempDir Path dir;

  static String yaml(String... endpoints) {
    return """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - name: gpu
            kind: kserve
            accelerator: gpu
            price_per_hour: 1.006
            endpoints: [%s]
            health_check: {interval_ms: 50}
        """.formatted(String.join(", ", List.of(endpoints).stream().map(e -> "\"" + e + "\"").toList()));
  }

  private static double reloads(SimpleMeterRegistry registry, String outcome) {
    return registry.get("yardmaster.config.reloads").tag("outcome", outcome).counter().count();
  }

  @Test
  void reloadAddsAndRemovesEndpointsWithoutDroppingRequestsInFlight() throws Exception {
    try (FakeBackend a = new FakeBackend(); FakeBackend b = new FakeBackend(); FakeBackend c = new FakeBackend()) {
      for (FakeBackend backend : List.of(a, b, c)) {
        backend.delayMillis = 300;
      }
      Path file = dir.resolve("router.yaml");
      Files.writeString(file, yaml(a.endpoint(), b.endpoint()));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RouterServer router = RouterServer.start(RouterConfigLoader.withOfflinePrices().load(file), file, registry, 50);
      ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
      try {
        Pool pool = router.pools().get("gpu");
        PoolTestSupport.await("2 healthy", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 2);
        var stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
        List<ListenableFuture<ModelInferResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          inFlight.add(stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(PoolTestSupport.higgsRequest(i)));
        }
        PoolTestSupport.await("requests at a", Duration.ofSeconds(5), () -> a.infers.get() > 0);

        // a plain overwrite (truncate, then write), as an editor or kubectl cp does: the watcher may
        // poll between the two and must wait for the file to settle
        Files.writeString(file, yaml(b.endpoint(), c.endpoint()));
        PoolTestSupport.await("a removed, c added", Duration.ofSeconds(5), () -> pool.endpoints().stream()
            .map(Endpoint::id).toList().equals(List.of(b.endpoint(), c.endpoint())));
        for (ListenableFuture<ModelInferResponse> call : inFlight) {
          assertThat(call.get(5, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1); // none dropped
        }
        PoolTestSupport.await("c healthy", Duration.ofSeconds(5), () -> pool.healthyEndpoints() == 2);
        int aBefore = a.infers.get();
        List<ListenableFuture<ModelInferResponse>> after = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          after.add(stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(PoolTestSupport.higgsRequest(i)));
        }
        for (ListenableFuture<ModelInferResponse> call : after) {
          call.get(5, TimeUnit.SECONDS);
        }
        assertThat(a.infers.get()).isEqualTo(aBefore);
        assertThat(c.infers.get()).isPositive();

        Files.writeString(file, "pools:\n  - name: gpu\n    accelerator: quantum\n");
        PoolTestSupport.await("reload rejected", Duration.ofSeconds(5), () -> !router.lastReloadError().isEmpty());
        assertThat(router.lastReloadError()).contains("pools[0].accelerator: quantum (expected: gpu, inferentia or cpu)");
        assertThat(pool.endpoints()).hasSize(2);
        assertThat(router.pools().get("gpu")).isSameAs(pool);
        // each write was read once, whole: no half-written file was applied or rejected
        assertThat(reloads(registry, "applied")).isEqualTo(1);
        assertThat(reloads(registry, "rejected")).isEqualTo(1);
      } finally {
        channel.shutdownNow();
        router.stop();
      }
    }
  }
}
