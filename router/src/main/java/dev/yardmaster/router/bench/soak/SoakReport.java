package dev.yardmaster.router.bench.soak;

import dev.yardmaster.router.bench.BenchReport;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code yardmaster soak} measured, as written to {@code soak-*.json}.
 *
 * @param createdAt when the soak ended (ISO-8601)
 * @param machine the machine it ran on
 * @param settings how it ran
 * @param startupSeconds each launch's time from process start to {@code /v2/health/ready} answering
 *     200, the last launch being the soaked one
 * @param samples one per load window, in order
 * @param warmUpWindows how many leading windows the growth budget leaves out
 * @param liveHeapGrowthMiB the growth of the long-lived heap after warm-up (least-squares line),
 *     informational; null when not judged
 * @param exitCode the server's exit code after SIGTERM
 * @param budgets DESIGN.md's footprint budgets, judged
 */
public record SoakReport(
    String createdAt,
    BenchReport.Machine machine,
    Settings settings,
    List<Double> startupSeconds,
    List<SoakSample> samples,
    int warmUpWindows,
    @Nullable Double liveHeapGrowthMiB,
    int exitCode,
    List<FootprintBudget> budgets) {

  public SoakReport {
    startupSeconds = List.copyOf(startupSeconds);
    samples = List.copyOf(samples);
    budgets = List.copyOf(budgets);
  }

  /** Whether every budget passed. */
  public boolean passed() {
    return budgets.stream().allMatch(FootprintBudget::passed);
  }

  /**
   * How a soak runs.
   *
   * @param concurrency closed-loop gRPC streams, spread over the models
   * @param durationSeconds the load's length
   * @param windowSeconds the length of each window, after which memory is sampled
   * @param startups launches timed to ready (the last one is soaked)
   * @param models the models the streams call, stream {@code i} calling {@code models[i % size]}
   * @param serverJvmOptions the server process's JVM options, e.g. {@code -Xmx512m}
   */
  public record Settings(int concurrency, double durationSeconds, double windowSeconds, int startups,
      List<String> models, List<String> serverJvmOptions) {

    public Settings {
      models = List.copyOf(models);
      serverJvmOptions = List.copyOf(serverJvmOptions);
    }
  }
}
