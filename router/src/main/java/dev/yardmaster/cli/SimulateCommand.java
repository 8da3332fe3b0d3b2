package dev.yardmaster.cli;

import dev.yardmaster.profiler.profile.InvalidProfileException;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.sim.Comparison;
import dev.yardmaster.sim.CsvTraces;
import dev.yardmaster.sim.HtmlReport;
import dev.yardmaster.sim.JsonReport;
import dev.yardmaster.sim.Scenario;
import dev.yardmaster.sim.Scenarios;
import dev.yardmaster.sim.SimPolicy;
import dev.yardmaster.sim.TextReport;
import dev.yardmaster.sim.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yardmaster simulate}: compares routing policies on one trace, each on the cheapest fleet
 * that meets the SLAs, against the oracle. Data on stdout, progress and file names on stderr.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Compare routing policies on a trace in a discrete-event simulation of the pools.",
        "Each policy runs on one static fleet (sized for the whole trace) and on hourly fleets (autoscaled to the"
            + " load, as the product's autoscaler does); the summary names the fleet mode of each line and checks"
            + " issue 5's target (>= 40%% cheaper than gpu-only at >= 99.9%% gold, <= 1.2x the oracle) on the hourly"
            + " fleets."})
final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--scenario", defaultValue = "seed", description = "Built-in scenario (default: ${DEFAULT-VALUE}).")
  String scenarioName = "seed";

  @Option(names = "--profile", paramLabel = "JSON",
      description = "Build the pools from a profile file (written by `yardmaster profile`) instead of a built-in scenario.")
  @Nullable Path profileFile;

  @Option(names = "--trace", paramLabel = "CSV",
      description = "Replay timestamp_ms,model,tier[,rows] lines instead of the synthetic trace.")
  @Nullable Path traceFile;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Synthetic trace length in simulated time, e.g. 60s, 2m, 500ms (default: the scenario's).")
  @Nullable String duration;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic trace (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--trough-rate", paramLabel = "REQ_PER_S", defaultValue = "400",
      description = "Diurnal trace: requests/s at night (default: ${DEFAULT-VALUE}).")
  double troughRate = 400;

  @Option(names = "--peak-rate", paramLabel = "REQ_PER_S", defaultValue = "4000",
      description = "Diurnal trace: requests/s at noon (default: ${DEFAULT-VALUE}).")
  double peakRate = 4000;

  @Option(names = "--policies", defaultValue = "cost-aware,gpu-only,cpu-only,round-robin,least-queue",
      description = "Comma-separated policies (default: ${DEFAULT-VALUE}).")
  String policies = "cost-aware,gpu-only,cpu-only,round-robin,least-queue";

  @Option(names = "--max-runs", defaultValue = "200", description = "Most fleets simulated per policy and window (default: ${DEFAULT-VALUE}).")
  int maxRuns = 200;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/sim",
      description = "Directory for the JSON and HTML reports (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target/sim");

  @Mixin FormatOption formatOption = new FormatOption();

  @Option(names = "--quiet", description = "No progress lines on stderr.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    String outputFormat = formatOption.resolve(err);
    if (outputFormat == null) {
      return Main.EXIT_USAGE;
    }
    Scenario scenario;
    List<SimPolicy> chosen;
    Trace trace;
    try {
      if (profileFile != null) {
        scenario = Scenarios.fromProfile(ProfileFiles.read(profileFile), troughRate, peakRate);
      } else {
        scenario = scenarioName.equalsIgnoreCase("seed")
            ? Scenarios.seed(troughRate, peakRate) : Scenarios.named(scenarioName);
      }
      chosen = SimPolicy.parseList(policies);
      if (traceFile != null) {
        trace = CsvTraces.read(traceFile, scenario.model(), scenario.tiers());
      } else {
        long nanos = duration == null ? scenario.defaultDurationNanos() : parseDurationNanos(duration);
        trace = scenario.trace().make(seed, nanos);
      }
    } catch (IllegalArgumentException e) { // includes TraceFormatException (line, column)
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    } catch (NoSuchFileException e) {
      err.println(e.getFile() + ": no such file (expected: an existing --trace CSV or --profile JSON)");
      return Main.EXIT_USAGE;
    } catch (InvalidProfileException e) {
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    }
    Consumer<String> progress = quiet ? line -> { } : line -> {
      err.println(line);
      err.flush();
    };
    progress.accept("simulating " + scenario.name() + ": " + trace.description() + ", "
        + trace.size() + " requests");
    Comparison comparison = Comparison.run(scenario, trace, seed, chosen, maxRuns, progress);
    String json = JsonReport.render(comparison);
    Files.createDirectories(out);
    Path jsonFile = out.resolve("sim-" + scenario.name() + ".json");
    Path htmlFile = out.resolve("sim-" + scenario.name() + ".html");
    Files.writeString(jsonFile, json, StandardCharsets.UTF_8);
    Files.writeString(htmlFile, HtmlReport.render(comparison), StandardCharsets.UTF_8);
    stdout.print(outputFormat.equals("json") ? json : TextReport.render(comparison));
    stdout.flush();
    err.println("wrote " + jsonFile + " and " + htmlFile);
    return Main.EXIT_OK;
  }

  /** {@code 60s}, {@code 2m}, {@code 500ms}, or plain seconds. */
  static long parseDurationNanos(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    double factor = 1e9;
    String number = trimmed;
    if (trimmed.endsWith("ms")) {
      factor = 1e6;
      number = trimmed.substring(0, trimmed.length() - 2);
    } else if (trimmed.endsWith("s")) {
      number = trimmed.substring(0, trimmed.length() - 1);
    } else if (trimmed.endsWith("m")) {
      factor = 60e9;
      number = trimmed.substring(0, trimmed.length() - 1);
    }
    try {
      double value = Double.parseDouble(number);
      if (value > 0 && value * factor <= 86_400e9) {
        return Math.round(value * factor);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--duration: " + text + " (expected: > 0 and <= 24h, e.g. 60s, 2m or 500ms)");
  }
}
