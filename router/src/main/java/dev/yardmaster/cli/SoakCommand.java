package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.router.bench.ReportFiles;
import dev.yardmaster.router.bench.soak.FootprintBudgets;
import dev.yardmaster.router.bench.soak.SoakHtml;
import dev.yardmaster.router.bench.soak.SoakReport;
import dev.yardmaster.router.bench.soak.SoakRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yardmaster soak}: DESIGN.md's memory and start-up budgets for the demo server, measured on
 * a child {@code serve --backend-only} process: start-up to ready, then a bounded 64-way load with
 * its resident memory and JVM heap sampled per window. Progress on stderr, the budgets on stdout,
 * {@code soak-*.json} and {@code soak-*.html} under {@code target/bench/}.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Measure the demo server's footprint against DESIGN.md's budgets: launch `serve --backend-only`"
        + " on the demo models (its own JVM, -Xmx512m) and time it to /v2/health/ready (budget 5 s), then drive"
        + " 64 closed-loop gRPC streams over the four demo models for --duration, sampling its resident memory"
        + " (budget 1 GiB, and no growth after warm-up) and JVM heap after each window. About 11 minutes by default.")
public final class SoakCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--duration", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long the load runs (default: ${DEFAULT-VALUE}); the growth budget leaves out its first"
          + " fifth and needs at least three windows after that.")
  Duration duration;

  @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Load window: memory is sampled after each (default: ${DEFAULT-VALUE}).")
  Duration window;

  @Option(names = "--concurrency", defaultValue = "64", paramLabel = "C",
      description = "Closed-loop streams, stream i calling demo model i mod 4 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--startups", defaultValue = "3", paramLabel = "N",
      description = "Launches timed to ready, the budget judging their median; the last is soaked"
          + " (default: ${DEFAULT-VALUE}).")
  int startups;

  @Option(names = "--server-heap", defaultValue = "512m", paramLabel = "SIZE",
      description = "The server's -Xmx (default: ${DEFAULT-VALUE}, DESIGN.md's).")
  String serverHeap;

  @Option(names = "--strict", description = "Exit 1 when a budget is missed.")
  boolean strict;

  @Option(names = "--output-dir", defaultValue = "target/bench", paramLabel = "DIR",
      description = "Where the repository and soak-*.json / .html go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String invalid = invalidOption();
    if (invalid != null) {
      err.println("soak: " + invalid);
      return Main.EXIT_USAGE;
    }
    SoakReport.Settings settings = new SoakReport.Settings(concurrency, duration.toMillis() / 1e3,
        window.toMillis() / 1e3, startups, DemoModels.DEMO_MODELS, List.of("-Xmx" + serverHeap));
    err.printf(Locale.ROOT, "soak: %d launches, then %d streams for %d s, about %d s%n", startups, concurrency,
        duration.toSeconds(), duration.toSeconds() + 5L * startups);
    SoakReport report = SoakRun.run(outputDir.resolve("soak"), settings, err);

    out.println();
    out.printf(Locale.ROOT, "start-up to ready: %s s%n", report.startupSeconds().stream()
        .map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
    out.println("budgets (DESIGN.md):");
    out.print(FootprintBudgets.render(report.budgets()));
    if (report.liveHeapGrowthMiB() != null) {
      out.printf(Locale.ROOT, "long-lived heap after GC grew %.1f MiB after warm-up (informational)%n",
          report.liveHeapGrowthMiB());
    }
    out.flush();
    Instant now = Instant.now();
    Path json = ReportFiles.write(outputDir, "soak", report, now);
    Path html = json.resolveSibling(json.getFileName().toString().replace(".json", ".html"));
    Files.writeString(html, SoakHtml.render(report), StandardCharsets.UTF_8);
    err.println("soak: wrote " + json + ", " + html.getFileName() + " and soak-latest.json");
    return strict && !report.passed() ? Main.EXIT_FAILURE : Main.EXIT_OK;
  }

  private @Nullable String invalidOption() {
    if (duration.isNegative() || duration.isZero()) {
      return "--duration: " + duration + " (expected: > 0)";
    }
    if (window.isNegative() || window.isZero() || window.compareTo(duration) > 0) {
      return "--window: " + window + " (expected: > 0 and <= --duration)";
    }
    if (concurrency < 1 || concurrency > 1024) {
      return "--concurrency: " + concurrency + " (expected: >= 1 and <= 1024)";
    }
    if (startups < 1 || startups > 10) {
      return "--startups: " + startups + " (expected: >= 1 and <= 10)";
    }
    if (!serverHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
      return "--server-heap: '" + serverHeap + "' (expected: a JVM heap size such as 512m or 1g)";
    }
    return null;
  }
}
