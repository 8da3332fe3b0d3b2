package dev.yardmaster.cli;

import dev.yardmaster.router.bench.ReportFiles;
import dev.yardmaster.router.demo.ProductTour;
import dev.yardmaster.router.demo.TourOptions;
import dev.yardmaster.router.demo.TourReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yardmaster demo}: the product tour ({@link ProductTour}). Tables on stdout, progress on
 * stderr, the JSON under {@code target/demo/}. The batching on/off sweep is {@code yardmaster bench}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {"The product tour: a router over a local ONNX Runtime CPU pool (one instance, no dynamic"
        + " batching) and emulated GPU (A10G) and Inferentia2 pools, all served in process; each pool profiled; a"
        + " bounded mixed-tier load (20%% gold, 30%% silver, 50%% bronze; base at 0.5x the CPU pool's profiled"
        + " capacity, a peak above it, base again) under the cost-aware policy, then under gpu-only; per policy"
        + " and tier: share of traffic per pool, p50/p99 vs budget, SLA compliance, cost per 1M inferences; for"
        + " cost-aware the same per phase (traffic leaving the CPU pool at the peak and coming back); and the"
        + " saving. About 80 s by default, 30 s with --quick.",
        "The batching on/off sweep is `yardmaster bench`."})
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "Short profiles and 4.5 s of load per policy (smoke tests; numbers are noise).")
  boolean quick;

  @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Recorded load per policy: base, peak and base thirds (default: 24s; 4.5s with --quick).")
  Duration duration;

  @Option(names = "--peak", defaultValue = "" + TourOptions.DEFAULT_PEAK_FACTOR, paramLabel = "X",
      description = "Peak arrival rate as a multiple of the CPU pool's capacity, its best profiled batch-1"
          + " throughput; above 1 its queue grows at the peak (default: ${DEFAULT-VALUE}).")
  double peak;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of inputs, arrivals and tiers (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--output-dir", defaultValue = "target/demo", paramLabel = "DIR",
      description = "Where the models, profiles, router.yaml and demo-*.json go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Override
  public Integer call() throws IOException {
    // progress and warnings on stderr, not every component's start-up INFO line (unless asked for)
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TourOptions options;
    try {
      TourOptions base = quick ? TourOptions.quick(outputDir) : TourOptions.defaults(outputDir);
      options = new TourOptions(outputDir, quick, duration == null ? base.loadPerPolicy() : duration, base.warmUp(),
          peak, seed);
    } catch (IllegalArgumentException invalid) {
      err.println("demo: " + invalid.getMessage());
      return Main.EXIT_USAGE;
    }
    long start = System.nanoTime();
    TourReport report;
    try {
      report = ProductTour.run(options, err);
    } catch (IllegalStateException failure) {
      err.println("demo: " + failure.getMessage());
      return Main.EXIT_FAILURE;
    }
    out.println();
    out.print(ProductTour.render(report));
    out.flush();
    Path json = ReportFiles.write(outputDir, "demo", report, Instant.now());
    err.printf(Locale.ROOT, "demo: wrote %s and demo-latest.json (%.0f s in all)%n", json,
        (System.nanoTime() - start) / 1e9);
    if (report.failedRequests() > 0 || report.answeredRequests() == 0) {
      err.println("demo: " + report.failedRequests() + " requests failed, " + report.answeredRequests()
          + " answered (expected: none failed, some answered); see the table");
      return Main.EXIT_FAILURE;
    }
    return Main.EXIT_OK;
  }
}
