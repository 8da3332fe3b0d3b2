package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.kserve.KServeEndpointClient;
import dev.yardmaster.backend.kserve.PropagatedHeaders;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.server.grpc.MessageCompression;
import dev.yardmaster.router.testsupport.MetricsScrape;
import dev.yardmaster.router.testsupport.StreamCollector;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The router in front of three real Yardmaster backends (ONNX Runtime, demo models) on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterSpreadTest {

  @TempDir static Path repository;
  static final List<YardmasterServer> backends = new ArrayList<>();
  static RouterServer router;
  static PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    PoolTestSupport.writeDemoRepository(repository);
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      YardmasterServer backend = PoolTestSupport.demoBackend(repository);
      backends.add(backend);
      endpoints.add("127.0.0.1:" + backend.grpcPort());
    }
    router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("cpu", endpoints)), null, registry, 100);
    Pool pool = router.pools().get("cpu");
    PoolTestSupport.await("3 healthy endpoints", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 3);
    channel = PoolTestSupport.channel(router.grpcPort());
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    router.stop();
    backends.parallelStream().forEach(YardmasterServer::stop);
  }

  @Test
  void uniformLoadSpreadsEvenly() throws Exception {
    Pool pool = router.pools().get("cpu");
    pool.endpoints().forEach(Endpoint::takeLatencyHistogram);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int client = c;
        loops.add(CompletableFuture.runAsync(() -> {
          var stub = PoolTestSupport.blocking(channel);
          for (int i = 0; i < 120; i++) {
            stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(PoolTestSupport.higgsRequest(client * 1000 + i));
          }
        }, clients));
      }
      CompletableFuture.allOf(loops.toArray(new CompletableFuture[0])).get(40, TimeUnit.SECONDS);
    } finally {
      clients.shutdownNow();
    }
    List<Long> counts = pool.endpoints().stream().map(e -> e.takeLatencyHistogram().getTotalCount()).toList();
    assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(960);
    assertThat(counts).allSatisfy(count -> assertThat(count).isBetween(960 / 3 * 6 / 10L, 960 / 3 * 14 / 10L));
    assertThat(pool.inFlight()).isZero();
    assertThat(pool.queuedRows()).isZero();
  }

  @Test
  void answersWithThePoolHeaderAndRealOutputs() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    var stub = PoolTestSupport.blocking(channel)
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    ModelInferResponse response = stub.modelInfer(PoolTestSupport.higgsRequest(1));
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 1L);
    assertThat(response.getRawOutputContents(0).size()).isEqualTo(4);
    assertThat(headers.get().get(Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("cpu");
  }

  @Test
  void unknownPoolIsInvalidArgumentNamingTheKnownPools() {
    Metadata pin = new Metadata();
    pin.put(Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER), "gpu");
    var stub = PoolTestSupport.blocking(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(pin));
    assertThatThrownBy(() -> stub.modelInfer(PoolTestSupport.higgsRequest(1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("x-yardmaster-pool: 'gpu' (expected: one of [cpu])");
        });
  }

  @Test
  void readinessAndMetadataComeFromThePool() {
    var stub = PoolTestSupport.blocking(channel);
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(DemoModels.HIGGS_MLP_V1).build()).getReady())
        .isTrue();
    assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(DemoModels.HIGGS_MLP_V1).build())
        .getName()).isEqualTo(DemoModels.HIGGS_MLP_V1);
    assertThatThrownBy(() -> stub.modelInfer(PoolTestSupport.higgsRequest(1).toBuilder().setModelName("nope").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void deflateCompressedRequestsAreRoutedAndAnswered() throws Exception {
    ManagedChannel compressing = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort())
        .usePlaintext()
        .compressorRegistry(MessageCompression.compressors())
        .decompressorRegistry(MessageCompression.decompressors())
        .build();
    try {
      ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(compressing)
          .withDeadlineAfter(10, TimeUnit.SECONDS).withCompression("deflate")
          .modelInfer(PoolTestSupport.higgsRequest(1).toBuilder().setId("z").build());
      assertThat(response.getId()).isEqualTo("z");
      assertThat(response.getRawOutputContentsCount()).isEqualTo(1);
    } finally {
      compressing.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void streamInferAnswersEveryRequestOnTheStream() throws Exception {
    StreamCollector stream = new StreamCollector();
    List<ModelStreamInferResponse> answers = stream.answers();
    var requests = GRPCInferenceServiceGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .modelStreamInfer(stream);
    for (int i = 0; i < 4; i++) {
      requests.onNext(PoolTestSupport.higgsRequest(i).toBuilder().setId("r" + i).build());
    }
    requests.onNext(PoolTestSupport.higgsRequest(4).toBuilder().setId("bad").setModelName("nope").build());
    requests.onNext(PoolTestSupport.higgsRequest(5).toBuilder().setId("r5").build());
    requests.onCompleted();
    stream.ended().get(10, TimeUnit.SECONDS);
    // in request order, each final, as Triton answers a stream
    assertThat(answers).extracting(a -> a.getInferResponse().getId())
        .containsExactly("r0", "r1", "r2", "r3", "bad", "r5");
    assertThat(answers).allSatisfy(a -> assertThat(
        a.getInferResponse().getParametersMap().get("triton_final_response").getBoolParam()).isTrue());
    assertThat(answers.get(4).getErrorMessage()).startsWith("NOT_FOUND");
    assertThat(answers).filteredOn(a -> !a.getInferResponse().getId().equals("bad")).allSatisfy(a -> {
      assertThat(a.getErrorMessage()).isEmpty();
      assertThat(a.getInferResponse().getRawOutputContentsCount()).isEqualTo(1);
    });
  }

  @Test
  void endpointClientStreamsReadinessAndMetadataWithPropagatedHeaders() throws Exception {
    try (KServeEndpointClient client = KServeEndpointClient.connect("127.0.0.1", backends.get(0).grpcPort(), 3,
        1 << 20)) {
      Deadline deadline = Deadline.after(10, TimeUnit.SECONDS);
      Metadata incoming = new Metadata();
      incoming.put(Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER), "silver");
      incoming.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer secret");
      Metadata propagated = PropagatedHeaders.from(incoming);
      assertThat(propagated.keys()).containsExactly("x-sla-tier");
      ModelStreamInferResponse streamed = client.streamInfer(PoolTestSupport.higgsRequest(5), deadline, propagated)
          .get(10, TimeUnit.SECONDS);
      assertThat(streamed.getErrorMessage()).isEmpty();
      assertThat(streamed.getInferResponse().getRawOutputContents(0).size()).isEqualTo(4);
      assertThat(client.serverReady(deadline).get(10, TimeUnit.SECONDS).getReady()).isTrue();
      assertThat(client.modelMetadata(ModelMetadataRequest.newBuilder().setName(DemoModels.HIGGS_MLP_V1).build(),
          deadline, propagated).get(10, TimeUnit.SECONDS).getInputs(0).getShapeList()).containsExactly(-1L, 28L);
      assertThat(client.channelCount()).isEqualTo(3);
    }
  }

  @Test
  void dnsNamesResolveToOneEndpointPerAddress() throws Exception {
    Pools pools = new Pools(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), System::nanoTime);
    try {
      pools.apply(PoolTestSupport.router(PoolTestSupport.pool("dns", List.of("localhost:" + backends.get(0).grpcPort()))));
      Pool pool = pools.get("dns");
      assertThat(pool.endpoints()).isNotEmpty().allSatisfy(e -> {
        assertThat(e.configured()).isEqualTo("localhost:" + backends.get(0).grpcPort());
        assertThat(e.id()).matches("(127\\.0\\.0\\.1|\\[0:0:0:0:0:0:0:1\\]):\\d+");
      });
      PoolTestSupport.await("a healthy endpoint", Duration.ofSeconds(10), () -> pool.healthyEndpoints() >= 1);
    } finally {
      pools.close();
    }
  }

  @Test
  void metricsNamePoolsAndEndpoints() throws Exception {
    PoolTestSupport.blocking(channel).modelInfer(PoolTestSupport.higgsRequest(2));
    String text = MetricsScrape.of(router.metricsPort());
    assertThat(text).contains("yardmaster_pool_inflight{pool=\"cpu\"}", "yardmaster_pool_queued_rows{pool=\"cpu\"}",
        "yardmaster_endpoint_inflight{endpoint=\"127.0.0.1:", "yardmaster_endpoint_latency_seconds_bucket{",
        "yardmaster_endpoint_ejections_total{", "yardmaster_endpoint_healthy{", "yardmaster_pool_retries_total{pool=\"cpu\"}");
  }
}
