package dev.yardmaster.cli;

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
import picocli.CommandLine.Mixin;
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

  @Spec CommandSpec spec;

  @Mixin SweepOptions sweepOptions = new SweepOptions();

  @Option(names = "--duration-per-point", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measurement window of each point (default: ${DEFAULT-VALUE}).")
  Duration measure;

  @Option(names = "--warm-up", defaultValue = "500ms", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Unrecorded load before each point (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(names = "--output-dir", defaultValue = "target/demo", paramLabel = "DIR",
      description = "Where the repositories and demo-*.json go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SweepPlan plan;
    try {
      plan = sweepOptions.plan(warmUp, measure);
    } catch (IllegalArgumentException invalid) {
      err.println("demo: " + invalid.getMessage());
      return Main.EXIT_USAGE;
    }
    err.printf(Locale.ROOT, "demo: %d points, about %d s of load%n",
        plan.pointCount(), plan.loadTime().toSeconds());
    List<SweepPoint> points;
    try (ServingSweep sweep = ServingSweep.start(outputDir.resolve("repository"), sweepOptions.runnerOptions(), err)) {
      sweep.warmUp(plan.models(), sweepOptions.startupWarmUp());
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
