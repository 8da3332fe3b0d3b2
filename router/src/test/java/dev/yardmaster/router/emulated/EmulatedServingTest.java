package dev.yardmaster.router.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.backend.emulated.EmulatedModelManager;
import dev.yardmaster.backend.emulated.PacingClock;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.local.HiggsRepository;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.MetricsScrape;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real server on an emulated device: real outputs, device-paced latency, labelled emulated. */
@Timeout(60)
class EmulatedServingTest {

  /** Slow enough that the pacing, not the host, decides the latency. */
  static final AcceleratorProfile SLOW_GPU =
      AcceleratorProfile.of("test-gpu", "gpu", 2, "test: 25 ms launch", 1, 25_000, 64, 31_300);

  @TempDir static Path repository;
  static EmulatedModelManager manager;
  static YardmasterServer server;
  static ManagedChannel channel;
  static GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void start() throws Exception {
    HiggsRepository.write(repository);
    manager = EmulatedModelManager.forRepository(repository, SLOW_GPU, OrtRunnerFactory.withDefaults(),
        PacingClock.system());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EmulationMetrics.register(registry, manager.runners());
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).meterRegistry(registry)
        .build().start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.stop();
  }

  @Test
  void batchOneTakesAtLeastTheProfileLatencyAndAnswersWhatOnnxRuntimeComputes() {
    float[] features = HiggsRepository.features(1);
    long start = System.nanoTime();
    ModelInferResponse response = stub.modelInfer(HiggsRepository.request(features, 1));
    long elapsedNanos = System.nanoTime() - start;

    assertThat(elapsedNanos).isGreaterThanOrEqualTo(SLOW_GPU.latencyNanos(1));
    assertThat(HiggsRepository.outputs(response)).containsExactly(onnxRuntime(features, 1));
    assertThat(HiggsRepository.outputs(response)[0])
        .isCloseTo(HiggsRepository.MLP.forward(features)[0], within(1e-4f));
  }

  @Test
  void batchEightTakesAtLeastTheInterpolatedLatency() {
    float[] features = HiggsRepository.features(8);
    long start = System.nanoTime();
    ModelInferResponse response = stub.modelInfer(HiggsRepository.request(features, 8));
    long elapsedNanos = System.nanoTime() - start;

    assertThat(SLOW_GPU.latencyNanos(8)).isEqualTo(25_700_000);
    assertThat(elapsedNanos).isGreaterThanOrEqualTo(25_700_000);
    assertThat(HiggsRepository.outputs(response)).containsExactly(onnxRuntime(features, 8));
  }

  @Test
  void modelConfigSaysEmulatedAndWhichDevice() {
    ModelConfig config = stub.modelConfig(
        ModelConfigRequest.newBuilder().setName(HiggsRepository.MODEL).build()).getConfig();

    assertThat(config.getParametersMap().get("emulated").getStringValue()).isEqualTo("test-gpu");
    assertThat(config.getParametersMap().get("emulated_accelerator").getStringValue()).isEqualTo("gpu");
    assertThat(config.getInstanceGroupList()).as("the config clients read is the repository's, not the device's 2")
        .singleElement().satisfies(group -> assertThat(group.getCount()).isEqualTo(1));
  }

  @Test
  void metricsSayEmulatedAndCountExecutions() throws Exception {
    stub.modelInfer(HiggsRepository.request(HiggsRepository.features(1), 1));
    String metrics = MetricsScrape.of(server.metricsPort());

    assertThat(metrics).contains(
        "yardmaster_emulated_info{accelerator=\"gpu\",device=\"test-gpu\",max_concurrent_executions=\"2\"} 1",
        "yardmaster_emulated_lagging_executions_total{device=\"test-gpu\"} 0");
    assertThat(manager.runners().executions()).isPositive();
  }

  /** The same rows through ONNX Runtime directly, without emulation. */
  private static float[] onnxRuntime(float[] features, int rows) {
    ModelSpec spec = manager.resolve(HiggsRepository.MODEL, "").spec();
    try (ModelRunner runner = OrtRunnerFactory.withDefaults()
        .open(spec, repository.resolve(HiggsRepository.MODEL).resolve("1").resolve("model.onnx"))) {
      String input = HiggsRepository.MLP.inputName();
      List<Tensor> outputs = runner.run(
          Map.of(input, Tensor.ofFloats(input, new long[] {rows, HiggsRepository.MLP.inputWidth()}, features)),
          List.of(HiggsRepository.MLP.outputName()));
      return outputs.get(0).toFloats();
    }
  }
}
