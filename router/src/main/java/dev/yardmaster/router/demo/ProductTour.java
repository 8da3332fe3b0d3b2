package dev.yardmaster.router.demo;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.MlpSpec;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.profiler.load.RequestFactories;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.local.InProcessBackend;
import dev.yardmaster.router.pool.Pool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code yardmaster demo}: writes the demo model, starts a router on {@link TourConfig} (its three
 * pools served in process), profiles every pool with the project's profiler, then drives the same
 * mixed-tier load ({@link MixedTierLoad}) under the cost-aware policy and under gpu-only, switching
 * policies by applying the config to the running router as a reload would. The load is scaled to the
 * CPU pool's profiled capacity: half of it at base, more than all of it at the peak, so the CPU
 * pool's queue grows at the peak whenever the pool drains about what its profile measured. Progress goes to {@code progress}; the caller prints
 * {@link TourTables#render} of the returned report.
 */
public final class ProductTour {

  /** The policies compared, in order. */
  public static final List<String> POLICIES = List.of("cost-aware", "gpu-only");
  /**
   * wide_mlp (28 -> 2048 -> 2048 -> 1): compute heavy, so one CPU instance running a row at a time
   * has a capacity the load generator can exceed, while the accelerators batch it.
   */
  static final String MODEL = DemoModels.WIDE_MLP;
  private static final String PROFILE = "profiles/" + MODEL + ".json";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_OUTSTANDING = 512;

  private ProductTour() {}

  public static TourReport run(TourOptions options, PrintWriter progress) throws IOException {
    Path dir = options.outputDir().toAbsolutePath();
    Files.createDirectories(dir);
    writeModel(dir.resolve(TourConfig.MODELS), DemoModels.config(MODEL, true));
    writeModel(dir.resolve(TourConfig.CPU_MODELS), cpuConfig());
    Path configFile = dir.resolve("router.yaml");
    RouterConfig config = TourConfig.write(configFile, MODEL, null, POLICIES.get(0));
    say(progress, "demo: starting the router and its pools %s (in process; %s)", TourConfig.POOLS, configFile);
    RouterServer router = RouterServer.start(config, null, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        1_000);
    try {
      awaitHealthy(router);
      PoolProfiler.warmUp(router, MODEL, options.quick() ? Duration.ofMillis(400) : Duration.ofSeconds(1), options.seed());
      say(progress, "demo: profiling %s on each pool with the project's profiler (closed loop, straight at the"
          + " pool's loopback endpoint)", MODEL);
      Profile profile = PoolProfiler.profile(router, MODEL, options.profilePlan(), progress);
      ProfileFiles.write(dir.resolve(PROFILE), profile);
      List<PoolCost> pools = PoolCost.of(profile);
      double cpuCapacity = pools.stream().filter(p -> p.pool().equals(TourConfig.CPU_POOL)).findFirst()
          .orElseThrow().batchOneThroughput();
      List<LoadPhase> phases = options.phases(cpuCapacity);
      MlpSpec mlp = DemoModels.mlp(MODEL);
      MixedTierLoad load = new MixedTierLoad(new Target("127.0.0.1", router.grpcPort()),
          RequestFactories.randomFp32Pool(MODEL, mlp.inputName(), mlp.inputWidth(), 1, options.seed(), 64),
          TierMixer.DEFAULT, budgets(config), MAX_OUTSTANDING, Duration.ofSeconds(5), progress);
      List<PolicyResult> results = new ArrayList<>();
      for (String policy : POLICIES) {
        RouterConfig next = TourConfig.write(configFile, MODEL, PROFILE, policy);
        router.pools().apply(next);
        router.router().apply(next, router.pools());
        if (results.isEmpty()) {
          // the router's own path is still cold: without this the first policy would pay for its JIT
          say(progress, "demo: warming up the router's path");
          load.run(List.of(options.routerWarmUp(phases.get(0))), options.seed() - 1);
        }
        say(progress, "demo: policy %s, mixed-tier load through the router (base %.1f x and peak %.1f x the %.0f"
            + " rows/s the cpu pool drained in its profile)", policy, TourOptions.BASE_FACTOR, options.peakFactor(),
            cpuCapacity);
        results.add(PolicyResult.of(policy, load.run(phases, options.seed()), pools));
      }
      TourConfig.write(configFile, MODEL, PROFILE, POLICIES.get(0)); // leave the default policy in the file
      double saving = 100 * (1 - results.get(0).costPerMillion() / results.get(1).costPerMillion());
      return new TourReport(Instant.now().toString(), options.quick(), MODEL,
          new CpuPoolLimit(TourConfig.CPU_POOL, TourConfig.CPU_POOL_SETUP, cpuCapacity), pools, phases, results,
          saving, fidelity(router), List.of(TourTables.COST_DEFINITION, TourTables.SLA_DEFINITION, TourTables.EMULATED_DEFINITION));
    } finally {
      router.stop();
    }
  }

  /** The tables of a report: per policy, one row per tier; the saving; the definitions. */
  public static String render(TourReport report) {
    return TourTables.render(report);
  }

  private static List<EmulationFidelity> fidelity(RouterServer router) {
    List<EmulationFidelity> fidelity = new ArrayList<>();
    for (String pool : router.pools().names()) {
      InProcessBackend backend = router.pools().inProcessBackend(pool);
      if (backend != null && backend.emulated() != null) {
        fidelity.add(new EmulationFidelity(pool, backend.emulated().name(), backend.emulatedExecutions(),
            backend.laggingExecutions()));
      }
    }
    return fidelity;
  }

  /** The tour's model alone (quick to load in three pools) with {@code config}. */
  private static void writeModel(Path repository, ModelConfig config) throws IOException {
    Path modelDir = repository.resolve(MODEL);
    OnnxGraphBuilder.write(DemoModels.model(MODEL), modelDir.resolve("1").resolve("model.onnx"));
    Files.writeString(modelDir.resolve("config.pbtxt"), TextFormat.printer().printToString(config),
        StandardCharsets.UTF_8);
  }

  /**
   * The CPU pool's config: the demo config's one instance without dynamic batching, so each request
   * runs as it comes (a batch-16 request as one execution, batch-1 requests one at a time).
   */
  static ModelConfig cpuConfig() {
    return DemoModels.config(MODEL, false);
  }

  private static List<Long> budgets(RouterConfig config) {
    List<Long> budgets = new ArrayList<>();
    for (String tier : TierMixer.DEFAULT.tiers()) {
      long nanos = config.admission().tiers().stream().filter(t -> t.name().equals(tier)).findFirst()
          .orElseThrow().p99BudgetNanos();
      budgets.add(nanos);
    }
    return budgets;
  }

  private static void awaitHealthy(RouterServer router) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!router.pools().all().stream().allMatch(p -> p.healthyEndpoints() > 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pools: " + router.pools().all().stream().map(Pool::describeEndpoints).toList()
            + " (expected: every pool healthy within " + READY_TIMEOUT + ")");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the pools", e);
      }
    }
  }

  private static void say(PrintWriter progress, String format, Object... args) {
    progress.printf(Locale.ROOT, format + "%n", args);
    progress.flush();
  }
}
