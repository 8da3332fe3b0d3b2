package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One slow pool (20 ms a request, one at a time) with a queue far beyond max_queue_delay_ms:
 * bronze is shed with RESOURCE_EXHAUSTED and a retry hint, gold still goes there as fallback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BronzeShedWhenTheOnlyPoolIsOverloadedTest {

  @TempDir Path dir;

  @Test
  void shedsBronzeWithARetryHintAndFallsBackForGold() throws Exception {
    try (PacedBackend slow = PacedBackend.serial(20)) {
      ProfileFiles.write(dir.resolve("tabular.json"), new Profile(1, "tabular", null, Profile.DEFAULT_TIERS, 0,
          List.of(new ProfileEntry("1", "kserve", "slow", "c7g.xlarge", "cpu", 0.05,
              List.of(new GridPoint(1, 1, 50, 20, 20, 20, 20, 0)), null))));
      try (RouterFixture running = RouterFixture.start(dir, """
          server: {grpc_port: 0, metrics_port: 0}
          pools:
            - {name: slow, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"], health_check: {interval_ms: 50}}
          models: [{name: tabular, profile: tabular.json}]
          routing: {max_queue_delay_ms: 30}
          """.formatted(slow.endpoint()))) {
        ManagedChannel channel = running.channel();
        Pool pool = running.pool("slow");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ListenableFuture<ModelInferResponse>> load = new ArrayList<>();
        var pinned = GRPCInferenceServiceGrpc.newFutureStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("bronze", "slow")));
        for (int i = 0; i < 20; i++) {
          load.add(pinned.modelInfer(request("tabular")));
        }
        while (pool.queuedRows() < 10 && System.nanoTime() < end) {
          Thread.sleep(2);
        }

        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("bronze", null)),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
            .modelInfer(request("tabular")))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("tier 'bronze'", "retry after 30 ms");
            });
        assertThat(trailers.get().get(LiveRouter.RETRY_AFTER)).isEqualTo("30");
        assertThat(trailers.get().get(Metadata.Key.of("x-yardmaster-tier", Metadata.ASCII_STRING_MARSHALLER)))
            .isEqualTo("bronze");

        ModelInferResponse gold = GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("gold", null)))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .modelInfer(request("tabular"));
        assertThat(gold.getModelVersion()).isEqualTo("1");
        for (var future : load) {
          future.get(10, TimeUnit.SECONDS);
        }
        String metrics = running.registry().scrape();
        assertThat(metrics).containsPattern("yardmaster_route_decisions_total\\{pool=\"none\",reason=\"shed\"} 1\\.0");
        assertThat(metrics).containsPattern("yardmaster_route_decisions_total\\{pool=\"slow\",reason=\"fallback\"} 1\\.0");
        assertThat(metrics).containsPattern(
            "yardmaster_requests_total\\{model=\"tabular\",outcome=\"resource_exhausted\",pool=\"none\",tier=\"bronze\"} 1\\.0");
      }
    }
  }

  private static Metadata headers(String tier, String pin) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER), tier);
    if (pin != null) {
      headers.put(Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER), pin);
    }
    return headers;
  }
}
