package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.testsupport.MetricsScrape;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a router over a cheap slow pool (one replica, 20 ms a request, one at a
 * time; $0.05/h) and an expensive fast one (2 ms, in parallel; $1/h), with profile files that say
 * so. Gold goes to the cheap pool while it is idle, to the fast pool while background load queues
 * on the cheap one (the queue makes it miss gold's 50 ms x 0.8), and back once the queue drains.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoldMovesOffAQueuedCheapPoolTest {

  private static final Metadata.Key<String> SLA_TIER = key("x-sla-tier");
  private static final Metadata.Key<String> PIN = key("x-yardmaster-pool");
  private static final Metadata.Key<String> POOL = key("x-yardmaster-pool");
  private static final Metadata.Key<String> TIER = key("x-yardmaster-tier");
  private static final Metadata.Key<String> VERSION = key("x-yardmaster-model-version");

  @TempDir Path dir;
  private PacedBackend cheap;
  private PacedBackend fast;
  private RouterServer router;
  private ManagedChannel channel;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeEach
  void start() throws Exception {
    cheap = PacedBackend.serial(20);
    fast = PacedBackend.parallel(2);
    Files.createDirectories(dir.resolve("profiles"));
    ProfileFiles.write(dir.resolve("profiles/tabular.json"), new Profile(1, "tabular", null, Profile.DEFAULT_TIERS, 0,
        List.of(entry("cheap", "cpu", "c7g.xlarge", 0.05, 20.0), entry("fast", "gpu", "g5.xlarge", 1.0, 2.0))));
    ProfileFiles.write(dir.resolve("profiles/other.json"), new Profile(1, "other", null, Profile.DEFAULT_TIERS, 0,
        List.of(entry("fast", "gpu", "g5.xlarge", 1.0, 2.0))));
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, """
        server: {grpc_port: 0, metrics_port: 0, default_timeout_ms: 10000}
        tiers:
          gold:   {p99_ms: 50,  priority: 1}
          silver: {p99_ms: 150, priority: 2}
          bronze: {priority: 3}
        default_tier: bronze
        pools:
          - {name: cheap, kind: kserve, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"],
             health_check: {interval_ms: 50}}
          - {name: fast, kind: kserve, accelerator: gpu, price_per_hour: 1.0, endpoints: ["%s"],
             health_check: {interval_ms: 50}}
        models:
          - {name: tabular, profile: profiles/tabular.json}
          - {name: other, profile: profiles/other.json}
        routing: {policy: cost-aware, safety_margin: 0.8, fallback: [gpu, inferentia, cpu]}
        """.formatted(cheap.endpoint(), fast.endpoint()));
    RouterConfig config = RouterConfigLoader.withOfflinePrices().load(file);
    router = RouterServer.start(config, null, registry, 100);
    await("both pools healthy", () -> router.pools().all().stream().allMatch(p -> p.healthyEndpoints() == 1));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    router.stop();
    cheap.close();
    fast.close();
  }

  @Test
  void goldLeavesTheCheapPoolWhileItsQueueIsLongAndReturnsWhenItDrains() throws Exception {
    Answer idle = infer("tabular", "gold", null);
    assertThat(idle.pool()).isEqualTo("cheap");
    assertThat(idle.headers().get(TIER)).isEqualTo("gold");
    assertThat(idle.headers().get(VERSION)).isEqualTo("1");
    assertThat(cheap.priorities).containsExactly(1L);

    // background bronze load pinned to the cheap pool: 20 x 20 ms queue on its one replica
    Pool cheapPool = router.pools().get("cheap");
    GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub background = GRPCInferenceServiceGrpc.newFutureStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("bronze", "cheap")));
    List<com.google.common.util.concurrent.ListenableFuture<ModelInferResponse>> load = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      load.add(background.modelInfer(request("tabular")));
    }
    await("the cheap pool's queue to build", () -> cheapPool.queuedRows() >= 10);

    Answer queued = infer("tabular", "gold", null);
    assertThat(queued.pool()).isEqualTo("fast");
    assertThat(queued.headers().get(TIER)).isEqualTo("gold");
    assertThat(fast.priorities).containsExactly(1L);

    for (var future : load) {
      future.get(10, TimeUnit.SECONDS);
    }
    await("the cheap pool's queue to drain", () -> cheapPool.queuedRows() == 0);
    assertThat(cheap.priorities).contains(3L); // bronze's Triton priority went with the pinned load

    Answer drained = infer("tabular", "gold", null);
    assertThat(drained.pool()).as("residual of the cheap pool: %s ns", router.router().residualNanos("cheap"))
        .isEqualTo("cheap");

    String metrics = scrape();
    assertThat(counter(metrics, "yardmaster_route_decisions_total", "pool=\"cheap\"", "reason=\"cheapest_feasible\""))
        .isEqualTo(2.0);
    assertThat(counter(metrics, "yardmaster_route_decisions_total", "pool=\"fast\"", "reason=\"cheapest_feasible\""))
        .isEqualTo(1.0);
    assertThat(counter(metrics, "yardmaster_route_decisions_total", "pool=\"cheap\"", "reason=\"pinned\""))
        .isEqualTo(20.0);
    assertThat(counter(metrics, "yardmaster_requests_total", "model=\"tabular\"", "outcome=\"success\"",
        "pool=\"fast\"", "tier=\"gold\"")).isEqualTo(1.0);
    assertThat(counter(metrics, "yardmaster_profile_missing", "model=\"other\"", "pool=\"cheap\"")).isEqualTo(1.0);
    assertThat(counter(metrics, "yardmaster_profile_missing", "model=\"tabular\"", "pool=\"cheap\"")).isEqualTo(0.0);
    assertThat(counter(metrics, "yardmaster_pool_cost_dollars_total", "pool=\"cheap\"")).isGreaterThan(0.0);
    assertThat(metrics).contains("yardmaster_prediction_error_seconds{pool=\"cheap\"}");
    assertThat(metrics).contains("yardmaster_request_latency_seconds_bucket{");
  }

  @Test
  void unknownTierUnknownPoolAndMalformedDeadlineAreInvalidArgument() {
    Metadata badDeadline = headers("gold", null);
    badDeadline.put(key("x-deadline-ms"), "soon");
    assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(badDeadline)).modelInfer(request("tabular")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("x-deadline-ms", "soon");
        });
    assertThatThrownBy(() -> infer("tabular", "platinum", null))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("x-sla-tier", "platinum", "gold, silver, bronze");
        });
    assertThatThrownBy(() -> infer("tabular", "gold", "tpu"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("x-yardmaster-pool", "tpu", "cheap", "fast");
        });
  }

  @Test
  void clientPriorityWinsAndUnprofiledPoolsAreFallbackOnly() throws Exception {
    ModelInferRequest withPriority = request("tabular").toBuilder().putParameters("priority",
        dev.yardmaster.protocol.v2.InferParameter.newBuilder().setInt64Param(7).build()).build();
    GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("gold", null)))
        .modelInfer(withPriority);
    assertThat(cheap.priorities).containsExactly(7L);
    // 'other' has a profile only for the fast pool: silver goes there although the cheap pool is idle
    assertThat(infer("other", "silver", null).pool()).isEqualTo("fast");
  }

  @Test
  void streamRequestsAreRoutedEachAndAnsweredWithTheFacts() throws Exception {
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    java.util.concurrent.LinkedBlockingQueue<Object> answers = new java.util.concurrent.LinkedBlockingQueue<>();
    var requests = GRPCInferenceServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers("gold", null)),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
        .modelStreamInfer(new io.grpc.stub.StreamObserver<>() {
          @Override
          public void onNext(dev.yardmaster.protocol.v2.ModelStreamInferResponse value) {
            answers.add(value);
          }

          @Override
          public void onError(Throwable t) {
            answers.add(t);
          }

          @Override
          public void onCompleted() {
            answers.add("done");
          }
        });
    for (int i = 0; i < 2; i++) { // one at a time: the second must find the cheap pool idle again
      requests.onNext(request("tabular"));
      Object answer = answers.poll(10, TimeUnit.SECONDS);
      assertThat(answer).isInstanceOfSatisfying(dev.yardmaster.protocol.v2.ModelStreamInferResponse.class,
          r -> assertThat(r.getErrorMessage()).isEmpty());
    }
    requests.onCompleted();
    assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(responseHeaders.get().get(TIER)).isEqualTo("gold");
    assertThat(responseHeaders.get().get(POOL)).isEqualTo("cheap");
    assertThat(cheap.priorities).containsExactly(1L, 1L);
  }

  private record Answer(ModelInferResponse response, Metadata headers) {
    String pool() {
      return headers.get(POOL);
    }
  }

  private Answer infer(String model, String tier, String pin) {
    AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(tier, pin)),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .modelInfer(request(model));
    return new Answer(response, responseHeaders.get());
  }

  private static Metadata headers(String tier, String pin) {
    Metadata headers = new Metadata();
    headers.put(SLA_TIER, tier);
    if (pin != null) {
      headers.put(PIN, pin);
    }
    return headers;
  }

  private static ProfileEntry entry(String pool, String accelerator, String instanceType, double price, double p99Ms) {
    return new ProfileEntry("1", "kserve", pool, instanceType, accelerator, price,
        List.of(new GridPoint(1, 1, 1000.0 / p99Ms, p99Ms, p99Ms, p99Ms, p99Ms, 0)), null);
  }

  private String scrape() throws Exception {
    return MetricsScrape.of(router.metricsPort());
  }

  /** The value of the sample of {@code name} whose labels contain every fragment; NaN when none. */
  private static double counter(String metrics, String name, String... labels) {
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(5);
    }
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
