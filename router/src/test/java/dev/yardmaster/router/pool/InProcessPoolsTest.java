package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.local.HiggsRepository;
import dev.yardmaster.router.local.InProcessBackend;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real router whose pools it serves itself (one ONNX Runtime CPU pool, one emulated A10G), called
 * over gRPC: each pool answers with the model's outputs, a reload keeps an unchanged pool's backend
 * and replaces a changed one, and stopping the router stops every backend.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InProcessPoolsTest {

  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;

  @Test
  void servesInProcessPoolsOverGrpcAndKeepsOrReplacesTheirBackendsOnReload() throws Exception {
    HiggsRepository.write(dir.resolve("models"));
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, yaml("gpu-a10g"));
    RouterServer router = RouterServer.start(RouterConfigLoader.withOfflinePrices().load(file), file,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 50);
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
    InProcessBackend cpu = router.pools().inProcessBackend("cpu-local");
    InProcessBackend gpu = router.pools().inProcessBackend("gpu");
    try {
      assertThat(cpu).isNotNull();
      assertThat(gpu).isNotNull();
      assertThat(cpu.emulated()).isNull();
      assertThat(gpu.emulated().name()).isEqualTo("gpu-a10g");
      assertThat(router.pools().get("cpu-local").config().endpoints()).containsExactly(cpu.grpcAddress());
      PoolTestSupport.await("both pools healthy", Duration.ofSeconds(20),
          () -> router.pools().all().stream().allMatch(p -> p.healthyEndpoints() == 1));

      float[] expected = HiggsRepository.outputs(infer(channel, "cpu-local", new AtomicReference<>()));
      for (String pool : new String[] {"cpu-local", "gpu"}) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        ModelInferResponse response = infer(channel, pool, headers);
        assertThat(headers.get().get(POOL)).isEqualTo(pool);
        assertThat(HiggsRepository.outputs(response)).hasSize(2).containsExactly(expected);
      }

      // the cpu pool is unchanged, the gpu pool now emulates an inf2: only the gpu backend is replaced
      Files.writeString(file, yaml("inf2"));
      PoolTestSupport.await("the gpu pool's backend replaced", Duration.ofSeconds(20),
          () -> router.pools().inProcessBackend("gpu") != gpu);
      assertThat(router.pools().inProcessBackend("cpu-local")).isSameAs(cpu);
      assertThat(router.pools().inProcessBackend("gpu").emulated().name()).isEqualTo("inf2");
      PoolTestSupport.await("the replaced backend stopped", Duration.ofSeconds(20), () -> !listening(gpu.grpcPort()));
      PoolTestSupport.await("the new gpu backend healthy", Duration.ofSeconds(20),
          () -> router.pools().get("gpu").healthyEndpoints() == 1);
      assertThat(HiggsRepository.outputs(infer(channel, "gpu", new AtomicReference<>()))).containsExactly(expected);
    } finally {
      channel.shutdownNow();
      router.stop();
    }
    assertThat(listening(cpu.grpcPort())).as("cpu backend after the router stopped").isFalse();
    assertThat(router.pools().inProcessBackend("cpu-local")).isNull();
  }

  private static String yaml(String emulate) {
    return """
        server: {grpc_port: 0, metrics_port: 0}
        pools:
          - {name: cpu-local, kind: onnxruntime, instance_type: c7g.xlarge, model_repository: models,
             health_check: {interval_ms: 50}}
          - {name: gpu, kind: emulated, emulate: %s, instance_type: g5.xlarge, model_repository: ./models,
             health_check: {interval_ms: 50}}
        routing: {policy: cost-aware}
        """.formatted(emulate);
  }

  private static ModelInferResponse infer(ManagedChannel channel, String pool, AtomicReference<Metadata> headers) {
    Metadata pin = new Metadata();
    pin.put(POOL, pool);
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(pin),
            MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .modelInfer(HiggsRepository.request(HiggsRepository.features(2), 2));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
