package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.config.RouterConfigLoader;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RoutingPolicy;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.profile.ServiceCurves;
import dev.yardmaster.sim.Fleet;
import dev.yardmaster.sim.PoolSpec;
import dev.yardmaster.sim.RowRange;
import dev.yardmaster.sim.RunResult;
import dev.yardmaster.sim.Scenario;
import dev.yardmaster.sim.Simulation;
import dev.yardmaster.sim.SlaTargets;
import dev.yardmaster.sim.TierMix;
import dev.yardmaster.sim.Trace;
import dev.yardmaster.sim.TraceGenerators;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the live router on one small scenario (SIMULATOR.md, "Agreement with the
 * live router"): two real pools on loopback, a cheap slow one (one replica, 8 ms a request, $0.05/h)
 * and an expensive fast one (one replica, 2 ms, $1/h), each serving one request at a time by
 * Triton priority; a seeded Poisson trace of 4 s at 150 requests/s (more than the cheap pool's 125),
 * tiers 20/30/50, replayed open loop through the real router; and the same trace, curves and policy
 * through {@link Simulation}. Per-pool traffic shares and per-tier p50 must agree within the
 * stated tolerances, and the simulation must be the same on a second run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorAgreesWithLiveRouterTest {

  private static final long SEED = 7;
  private static final double RATE_PER_SECOND = 150;
  private static final long DURATION_NANOS = TimeUnit.SECONDS.toNanos(4);
  private static final long MAX_QUEUE_DELAY_MS = 200;
  /** Absolute difference allowed between the live and the simulated share of a pool's traffic. */
  static final double SHARE_TOLERANCE = 0.10;
  /** A tier's p50 may differ by this fraction of the simulated p50 ... */
  static final double P50_RELATIVE_TOLERANCE = 0.35;
  /** ... plus this many milliseconds (loopback hops, timer wake-ups of a busy machine). */
  static final double P50_ABSOLUTE_TOLERANCE_MS = 4;

  private static final Metadata.Key<String> SLA_TIER = Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  private static final String[] POOLS = {"cheap", "fast"};

  @TempDir Path dir;
  private String residuals = "";

  @Test
  void poolSharesAndTierMediansAgreeWithTheSimulation() throws Exception {
    Profile profile = new Profile(1, "tabular", null, Profile.DEFAULT_TIERS, 0, List.of(
        entry("cheap", "cpu", 0.05, 8), entry("fast", "gpu", 1.0, 2)));
    Trace trace = TraceGenerators.poisson(RATE_PER_SECOND, DURATION_NANOS, TierMix.DEFAULT, RowRange.ONE, SEED);

    long[] overheadNanos = new long[1];
    Observed live = replay(profile, trace, overheadNanos);
    Observed simulated = simulate(profile, trace, overheadNanos[0]);
    assertThat(simulate(profile, trace, overheadNanos[0])).as("the simulation of one seed").isEqualTo(simulated);

    String report = report(live, simulated) + String.format("%noverhead measured on loopback: %.2f ms%n%s",
        overheadNanos[0] / 1e6, residuals);
    System.out.println(report);
    assertThat(live.shed()).as(report).isLessThanOrEqualTo(Math.max(3, simulated.shed() * 2));
    for (int p = 0; p < POOLS.length; p++) {
      assertThat(live.share(p)).as("share of pool '%s'\n%s", POOLS[p], report)
          .isCloseTo(simulated.share(p), org.assertj.core.data.Offset.offset(SHARE_TOLERANCE));
    }
    for (Tier tier : Tier.DEFAULTS) {
      double expected = simulated.p50Ms()[tier.index()];
      double allowed = expected * P50_RELATIVE_TOLERANCE + P50_ABSOLUTE_TOLERANCE_MS;
      assertThat(live.p50Ms()[tier.index()]).as("p50 of %s (ms)\n%s", tier.name(), report)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(allowed));
    }
  }

  /** What one run showed: requests per pool, shed requests, p50 per tier. */
  record Observed(long[] routed, long shed, double[] p50Ms) {
    double share(int pool) {
      long total = Arrays.stream(routed).sum();
      return total == 0 ? 0 : routed[pool] / (double) total;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Observed o && Arrays.equals(routed, o.routed) && shed == o.shed
          && Arrays.equals(p50Ms, o.p50Ms);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(routed) * 31 + Arrays.hashCode(p50Ms);
    }
  }

  private static Observed simulate(Profile profile, Trace trace, long overheadNanos) {
    List<PoolSpec> pools = new ArrayList<>();
    for (ProfileEntry entry : profile.entries()) {
      pools.add(new PoolSpec(entry.pool(), AcceleratorKind.valueOf(entry.accelerator().toUpperCase(Locale.ROOT)),
          entry.instanceType(), entry.pricePerHour(), ServiceCurves.of(entry, Tier.DEFAULTS), 0, 1, 1));
    }
    dev.yardmaster.router.policy.RoutingConfig routing = dev.yardmaster.router.policy.RoutingConfig.defaults()
        .withMaxQueueDelayNanos(TimeUnit.MILLISECONDS.toNanos(MAX_QUEUE_DELAY_MS));
    Scenario scenario = new Scenario("agreement", "tabular", Tier.DEFAULTS, pools, routing, SlaTargets.DEFAULT,
        (seed, duration) -> trace, DURATION_NANOS);
    RunResult result = new Simulation(scenario, trace, RoutingPolicy.cheapestMeetingSla(routing), Fleet.of(1, 1), false)
        .seeingDispatchedRowsAsQueued().withOverheadNanos(overheadNanos).run();
    double[] p50 = new double[Tier.DEFAULTS.size()];
    for (Tier tier : Tier.DEFAULTS) {
      p50[tier.index()] = result.latencyMs(tier.index(), 50);
    }
    return new Observed(new long[] {result.routedRequests(0), result.routedRequests(1)}, result.shedTotal(), p50);
  }

  /**
   * Replays the trace open loop: each request is sent at its time, whatever is still in flight.
   * Puts the overhead the warm-up measured into {@code overheadNanos[0]}.
   */
  private Observed replay(Profile profile, Trace trace, long[] overheadNanos) throws Exception {
    PacedBackend cheap = PacedBackend.prioritized(8);
    PacedBackend fast = PacedBackend.prioritized(2);
    ProfileFiles.write(dir.resolve("tabular.json"), profile);
    Path file = dir.resolve("router.yaml");
    Files.writeString(file, """
        server: {grpc_port: 0, metrics_port: 0, default_timeout_ms: 10000}
        pools:
          - {name: cheap, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"], health_check: {interval_ms: 50}}
          - {name: fast, accelerator: gpu, price_per_hour: 1.0, endpoints: ["%s"], health_check: {interval_ms: 50}}
        models: [{name: tabular, profile: tabular.json}]
        routing: {policy: cost-aware, safety_margin: 0.8, max_queue_delay_ms: %d}
        """.formatted(cheap.endpoint(), fast.endpoint(), MAX_QUEUE_DELAY_MS));
    RouterConfig config = RouterConfigLoader.withOfflinePrices().load(file);
    RouterServer router = RouterServer.start(config, null, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 100);
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (router.pools().all().stream().anyMatch(p -> p.healthyEndpoints() == 0) && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      overheadNanos[0] = warmUp(channel);
      int n = trace.size();
      long[] latencyNanos = new long[n];
      String[] pools = new String[n];
      boolean[] shed = new boolean[n];
      CountDownLatch answered = new CountDownLatch(n);
      GRPCInferenceServiceFutureStub[] byTier = new GRPCInferenceServiceFutureStub[Tier.DEFAULTS.size()];
      for (Tier tier : Tier.DEFAULTS) {
        Metadata headers = new Metadata();
        headers.put(SLA_TIER, tier.name());
        byTier[tier.index()] = GRPCInferenceServiceGrpc.newFutureStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      ModelInferRequest request = request("tabular");
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
      for (int i = 0; i < n; i++) {
        long due = start + trace.atNanos(i);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        int at = i;
        AtomicReference<Metadata> headers = new AtomicReference<>();
        Futures.addCallback(byTier[trace.tier(i)]
            .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
            .withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request), new FutureCallback<ModelInferResponse>() {
              @Override
              public void onSuccess(ModelInferResponse response) {
                latencyNanos[at] = System.nanoTime() - due;
                pools[at] = headers.get().get(POOL);
                answered.countDown();
              }

              @Override
              public void onFailure(Throwable error) {
                shed[at] = Status.fromThrowable(error).getCode() == Status.Code.RESOURCE_EXHAUSTED;
                latencyNanos[at] = -1;
                answered.countDown();
              }
            }, MoreExecutors.directExecutor());
      }
      assertThat(answered.await(30, TimeUnit.SECONDS)).as("every replayed request answered").isTrue();
      residuals = String.format("live router's residuals after the replay: cheap %.2f ms, fast %.2f ms",
          router.router().residualNanos("cheap") / 1e6, router.router().residualNanos("fast") / 1e6);
      long[] routed = new long[POOLS.length];
      long shedCount = 0;
      List<List<Long>> byTierLatency = new ArrayList<>();
      Tier.DEFAULTS.forEach(t -> byTierLatency.add(new ArrayList<>()));
      for (int i = 0; i < n; i++) {
        if (shed[i]) {
          shedCount++;
        } else {
          assertThat(latencyNanos[i]).as("request %d failed", i).isNotNegative();
          routed[List.of(POOLS).indexOf(pools[i])]++;
          byTierLatency.get(trace.tier(i)).add(latencyNanos[i]);
        }
      }
      double[] p50 = new double[Tier.DEFAULTS.size()];
      for (int t = 0; t < p50.length; t++) {
        p50[t] = median(byTierLatency.get(t)) / 1e6;
      }
      return new Observed(routed, shedCount, p50);
    } finally {
      channel.shutdownNow();
      router.stop();
      cheap.close();
      fast.close();
    }
  }

  /**
   * Warms the JIT of router, client and backends with requests one at a time (no queue forms) and
   * returns the median of their latency minus their pool's service time over the last half: the
   * loopback hops and the router's own time, which the simulation adds to every request.
   */
  private static long warmUp(ManagedChannel channel) throws InterruptedException {
    List<Long> overheads = new ArrayList<>();
    long[] serviceNanos = {TimeUnit.MILLISECONDS.toNanos(8), TimeUnit.MILLISECONDS.toNanos(2)};
    for (int p = 0; p < POOLS.length; p++) {
      Metadata headers = new Metadata();
      headers.put(POOL, POOLS[p]);
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      for (int i = 0; i < 100; i++) {
        long sent = System.nanoTime();
        stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(request("tabular"));
        if (i >= 50) {
          overheads.add(Math.max(0, System.nanoTime() - sent - serviceNanos[p]));
        }
      }
    }
    Thread.sleep(100);
    return (long) median(overheads);
  }

  private static double median(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[(sorted.length - 1) / 2];
  }

  private static String report(Observed live, Observed simulated) {
    StringBuilder text = new StringBuilder("              live      simulated\n");
    for (int p = 0; p < POOLS.length; p++) {
      text.append(String.format("share %-6s  %6.3f    %6.3f%n", POOLS[p], live.share(p), simulated.share(p)));
    }
    for (Tier tier : Tier.DEFAULTS) {
      text.append(String.format("p50 %-6s %7.1f ms %7.1f ms%n", tier.name(), live.p50Ms()[tier.index()],
          simulated.p50Ms()[tier.index()]));
    }
    return text.append(String.format("shed          %6d    %6d", live.shed(), simulated.shed())).toString();
  }

  private static ProfileEntry entry(String pool, String accelerator, double price, double serviceMs) {
    return new ProfileEntry("1", "kserve", pool, "paced-" + pool, accelerator, price,
        List.of(new GridPoint(1, 1, 1000.0 / serviceMs, serviceMs, serviceMs, serviceMs, serviceMs, 0)), null);
  }
}
