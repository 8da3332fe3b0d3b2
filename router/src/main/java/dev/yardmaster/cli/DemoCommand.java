package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerOptions;
import dev.yardmaster.router.bench.DemoReport;
import dev.yardmaster.router.bench.ReportFiles;
import dev.yardmaster.router.bench.ServingSweep;
import dev.yardmaster.router.bench.SweepPlan;
import dev.yardmaster.router.bench.SweepPoint;
import dev.yardmaster.router.bench.SweepTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yardmaster demo}: serves the bundled demo models in process, with and without dynamic
 * batching, drives a short closed-loop gRPC load at rising concurrency and prints what batching
 * buys. The table goes to stdout, progress to stderr, the JSON to {@code target/demo/}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Serve the demo models (batching off and on) on ephemeral ports and drive a bounded"
        + " closed-loop gRPC load of batch-1 requests at c=1,4,16,64; print throughput, p50/p99 and"
        + " the batching speed-up. About a minute by default.")
public final class DemoCommand implements Callable<Integer> {

  static final Duration QUICK_WARM_UP = Duration.ofMillis(100);
  static final Duration QUICK_MEASURE = Duration.ofMillis(300);
  /** Warm-up of every model and server before the first point (JIT, class loading). */
  static final Duration STARTUP_WARM_UP = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Option(names = "--duration-per-point", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measurement window of each point (default: ${DEFAULT-VALUE}).")
  Duration measure;

  @Option(names = "--warm-up", defaultValue = "500ms", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Unrecorded load before each point (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16,64", paramLabel = "C",
      description = "Closed-loop streams per point (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrencies;

  @Option(names = "--quick", description = "100 ms warm-up and 300 ms per point (smoke tests).")
  boolean quick;

  @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "N",
      description = "ONNX Runtime intra-op threads per session, as `serve` uses (default: ${DEFAULT-VALUE}; 0 = one per core).")
  int intraOpThreads;

  @Option(names = "--output-dir", defaultValue = "target/demo", paramLabel = "DIR",
      description = "Where the repositories and demo-*.json go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SweepPlan plan;
    try {
      plan = new SweepPlan(List.of(DemoModels.HIGGS_MLP_V1, DemoModels.WIDE_MLP), concurrencies,
          quick ? QUICK_WARM_UP : warmUp, quick ? QUICK_MEASURE : measure);
    } catch (IllegalArgumentException invalid) {
      err.println("demo: " + invalid.getMessage());
      return Main.EXIT_USAGE;
    }
    err.printf(Locale.ROOT, "demo: %d points, about %d s of load%n",
        plan.pointCount(), plan.loadTime().toSeconds());
    List<SweepPoint> points;
    try (ServingSweep sweep = ServingSweep.start(
        outputDir.resolve("repository"), OrtRunnerOptions.defaults().withIntraOpThreads(intraOpThreads), err)) {
      sweep.warmUp(plan.models(), quick ? QUICK_MEASURE : STARTUP_WARM_UP);
      points = sweep.run(plan);
    }
    out.println();
    out.print(SweepTables.serving(points));
    out.flush();
    Instant now = Instant.now();
    Path json = ReportFiles.write(outputDir, "demo", new DemoReport(now.toString(),
        plan.warmUp().toMillis() / 1e3, plan.measure().toMillis() / 1e3, points), now);
    err.println("demo: wrote " + json + " and demo-latest.json");
    boolean clean = points.stream()
        .allMatch(p -> p.result().totalErrors() == 0 && p.inferencesPerSecond() > 0);
    if (!clean) {
      err.println("demo: some points had errors or no throughput (expected: none); see the table");
    }
    return clean ? Main.EXIT_OK : Main.EXIT_FAILURE;
  }
}
