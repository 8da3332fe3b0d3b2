package dev.yardmaster.router.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router serving the same model from two in-process ONNX Runtime pools, one held to 5% of a core
 * ({@code cpu_share: 0.05}), called over gRPC: both answer with the same outputs, and the held
 * pool's executions take many times longer, as the server's own statistics (compute time per
 * execution) report.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CpuSharePoolTest {

  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  private static final int ROWS = 64;
  private static final int REQUESTS = 100;

  @TempDir Path dir;

  @Test
  void aPoolHeldToAShareOfACoreAnswersTheSameOutputsManyTimesSlower() throws Exception {
    HiggsRepository.write(dir.resolve("models"));
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - {name: whole, kind: onnxruntime, price_per_hour: 0.1, model_repository: models}
          - {name: held, kind: onnxruntime, price_per_hour: 0.1, model_repository: models, cpu_share: 0.05}
        """);
    RouterServer router = RouterServer.start(RouterConfigLoader.withOfflinePrices().load(file), file,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 1_000);
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
    try {
      float[] expected = null;
      for (int i = 0; i < REQUESTS; i++) {
        for (String pool : new String[] {"whole", "held"}) {
          float[] outputs = HiggsRepository.outputs(pinned(channel, pool)
              .modelInfer(HiggsRepository.request(HiggsRepository.features(ROWS), ROWS)));
          assertThat(outputs).hasSize(ROWS);
          if (expected == null) {
            expected = outputs;
          }
          assertThat(outputs).containsExactly(expected);
        }
      }
      double whole = computeNanosPerExecution(channel, "whole");
      double held = computeNanosPerExecution(channel, "held");
      // 20x by CPU time; the margin is for the whole-core pool being preempted on a busy host
      assertThat(held).as("compute ns per execution, held vs whole (%.0f vs %.0f)", held, whole)
          .isGreaterThan(4 * whole);
    } finally {
      channel.shutdownNow();
      router.stop();
    }
  }

  private static GRPCInferenceServiceBlockingStub pinned(ManagedChannel channel, String pool) {
    Metadata pin = new Metadata();
    pin.put(POOL, pool);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(pin))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static double computeNanosPerExecution(ManagedChannel channel, String pool) {
    InferStatistics stats = pinned(channel, pool)
        .modelStatistics(ModelStatisticsRequest.newBuilder().setName(HiggsRepository.MODEL).build())
        .getModelStats(0).getInferenceStats();
    assertThat(stats.getComputeInfer().getCount()).as(pool + " executions").isEqualTo(REQUESTS);
    return (double) stats.getComputeInfer().getNs() / stats.getComputeInfer().getCount();
  }
}
