package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerOptions;
import dev.yardmaster.router.bench.SweepPlan;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The serving sweep's options ({@code bench}): which concurrencies to sweep, the quick smoke
 * mode, and the ONNX Runtime threads of the served sessions.
 */
final class SweepOptions {
  /** The models the sweep serves: one transport-bound, one compute-bound. */
  static final List<String> MODELS = List.of(DemoModels.HIGGS_MLP_V1, DemoModels.WIDE_MLP);
  static final Duration QUICK_WARM_UP = Duration.ofMillis(100);
  static final Duration QUICK_MEASURE = Duration.ofMillis(300);
  /**
   * Warm-up of every model and server before the first point (JIT, class loading). On 2 cores the
   * served path keeps the JIT busy for seconds: after 1 s the first served points still cost about
   * twice the CPU per request of later ones, while echo, measured last, ran warm.
   */
  static final Duration STARTUP_WARM_UP = Duration.ofSeconds(4);

  @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16,64", paramLabel = "C",
      description = "Closed-loop streams per point (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrencies;

  @Option(names = "--quick", description = "100 ms warm-up and 300 ms per point (smoke tests; ratios are noise).")
  boolean quick;

  @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "N",
      description = "ONNX Runtime intra-op threads per session, as `serve` uses (default: ${DEFAULT-VALUE}; 0 = one per core).")
  int intraOpThreads;

  /**
   * The sweep of {@link #MODELS} over the chosen concurrencies.
   *
   * @throws IllegalArgumentException naming the bad option value
   */
  SweepPlan plan(Duration warmUp, Duration measure) {
    return new SweepPlan(MODELS, concurrencies, quick ? QUICK_WARM_UP : warmUp, quick ? QUICK_MEASURE : measure);
  }

  /** Load sent to every model before the first point. */
  Duration startupWarmUp() {
    return quick ? QUICK_MEASURE : STARTUP_WARM_UP;
  }

  OrtRunnerOptions runnerOptions() {
    return OrtRunnerOptions.defaults().withIntraOpThreads(intraOpThreads);
  }
}
