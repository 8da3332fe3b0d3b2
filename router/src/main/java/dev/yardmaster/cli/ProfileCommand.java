package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.pricing.AwsPriceListOptions;
import dev.yardmaster.profiler.pricing.PriceCache;
import dev.yardmaster.profiler.pricing.PriceChain;
import dev.yardmaster.profiler.pricing.PriceReport;
import dev.yardmaster.profiler.pricing.PriceResolver;
import dev.yardmaster.profiler.profile.InvalidProfileException;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.profiler.profile.ProfileMerge;
import dev.yardmaster.profiler.report.ProfileComparison;
import dev.yardmaster.profiler.report.ProfileHtmlReport;
import dev.yardmaster.profiler.report.SummaryTable;
import dev.yardmaster.profiler.sweep.MissingTarget;
import dev.yardmaster.profiler.sweep.PointResult;
import dev.yardmaster.profiler.sweep.Sweep;
import dev.yardmaster.profiler.sweep.SweepListener;
import dev.yardmaster.profiler.sweep.SweepPlan;
import dev.yardmaster.profiler.sweep.SweepResult;
import dev.yardmaster.profiler.sweep.SweepTarget;
import dev.yardmaster.router.local.BackendManagers;
import dev.yardmaster.router.server.YardmasterServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code yardmaster profile}: measures a model over a batch x concurrency grid on KServe v2
 * endpoints (or an in-process server with {@code --local}), prices it, writes its profile JSON and
 * HTML report; {@code --compare A B} shows what changed between two profiles. Data (the summary,
 * the comparison) on stdout; progress and file names on stderr.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Profile a model on backends (throughput, latency, cost) and write the profile the router reads.")
final class ProfileCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", description = "Model to profile.")
  @Nullable String model;

  @Option(names = "--model-version", paramLabel = "V", defaultValue = "",
      description = "Model version (default: the server's latest).")
  String modelVersion = "";

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "KServe v2 gRPC endpoint; repeat for several backends.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--local", description = "Start an in-process server (demo repository unless --model-repository) and profile it.")
  boolean local;

  @Option(names = "--model-repository", paramLabel = "DIR", description = "Repository for --local (default: the generated demo models).")
  @Nullable Path repository;

  @Option(names = "--pool", paramLabel = "NAME", description = "Pool label per target, in --target order (default: cpu-local for --local, else remote-N).")
  List<String> pools = new ArrayList<>();

  @Option(names = "--backend", paramLabel = "KIND", description = "Backend label per target: onnxruntime, kserve or emulated (default: onnxruntime for --local, else kserve).")
  List<String> backends = new ArrayList<>();

  @Option(names = "--instance-type", paramLabel = "TYPE", description = "Instance type per target, priced from the price table (default: c7g.xlarge).")
  List<String> instanceTypes = new ArrayList<>();

  @Option(names = "--accelerator", paramLabel = "KIND", description = "Accelerator per target: cpu, gpu or inferentia (default: cpu).")
  List<String> accelerators = new ArrayList<>();

  @Option(names = "--price-per-hour", paramLabel = "USD", description = "Price per target instead of the price table.")
  List<Double> pricesPerHour = new ArrayList<>();

  @Option(names = "--price-source", paramLabel = "LIST", defaultValue = "cache,aws,offline",
      description = "Price sources asked in order after --price-per-hour: cache, aws (AWS Price List API), offline (bundled table); default: ${DEFAULT-VALUE}.")
  String priceSources = "cache,aws,offline";

  @Option(names = "--aws-profile", paramLabel = "NAME", description = "AWS credentials profile for the Price List API (default: the SDK's default chain).")
  @Nullable String awsProfile;

  @Option(names = "--aws-credentials-file", paramLabel = "FILE", description = "Shared credentials file for --aws-profile (default: ~/.aws/credentials).")
  @Nullable Path awsCredentialsFile;

  @Option(names = "--aws-endpoint", paramLabel = "URL", description = "Price List API endpoint instead of pricing.us-east-1.amazonaws.com (a VPC endpoint, a local moto_server).")
  @Nullable URI awsEndpoint;

  @Option(names = "--price-cache", paramLabel = "FILE", description = "Price cache file (default: ~/.cache/yardmaster/prices.json).")
  @Nullable Path priceCache;

  @Option(names = "--batch", paramLabel = "LIST", description = "Batch sizes, e.g. 1,2,4 (default: powers of two up to max_batch_size).")
  @Nullable String batches;

  @Option(names = "--concurrency", paramLabel = "LIST", description = "Concurrencies, e.g. 1,4,16 (default: 1,2,4,...,64).")
  @Nullable String concurrencies;

  @Option(names = "--rate", paramLabel = "REQ_PER_S", description = "Fixed-rate (open-loop) mode at this many requests/s; --concurrency caps outstanding requests.")
  @Nullable Double rate;

  @Option(names = "--window", paramLabel = "DURATION", description = "Measurement window, e.g. 500ms (default: 500ms).")
  @Nullable String window;

  @Option(names = "--warm-up", paramLabel = "DURATION", description = "Unmeasured load before each point, e.g. 500ms (default: 500ms).")
  @Nullable String warmUp;

  @Option(names = "--point-cap", paramLabel = "DURATION", description = "Most time per grid point, e.g. 5s (default: 5s).")
  @Nullable String pointCap;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated input data (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--data", paramLabel = "JSON", description = "Input rows from a KServe v2 JSON request file instead of random data.")
  @Nullable Path dataFile;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "profiles", description = "Directory of profile files and reports (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("profiles");

  @Option(names = "--update", description = "Merge into the existing profile file: new measurements replace the same (version, backend, pool).")
  boolean update;

  @Option(names = "--compare", arity = "2", paramLabel = "JSON", description = "Show what changed from profile A to profile B.")
  List<Path> compare = new ArrayList<>();

  @Option(names = "--self-bench", description = "Benchmark the profiler itself: its load driver vs a plain grpc-java loop, and a full default profile.")
  boolean selfBench;

  @Option(names = "--self-bench-driver-only", hidden = true, description = "With --self-bench: skip the full profile.")
  boolean selfBenchDriverOnly;

  @Mixin FormatOption formatOption = new FormatOption();

  @Option(names = "--quiet", description = "No progress on stderr.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    String outputFormat = formatOption.resolve(err);
    if (outputFormat == null) {
      return Main.EXIT_USAGE;
    }
    if (!compare.isEmpty()) {
      return compare(stdout, err, outputFormat);
    }
    if (selfBench) {
      return ProfileSelfBench.run(stdout, err, outputFormat.equals("json"), !selfBenchDriverOnly);
    }
    if (model == null) {
      err.println("--model: missing (expected: a model name, or --compare A B, or --self-bench)");
      return Main.EXIT_USAGE;
    }
    if (targets.isEmpty() && !local) {
      err.println("--target: missing (expected: HOST:PORT of a KServe v2 gRPC endpoint, or --local)");
      return Main.EXIT_USAGE;
    }
    SweepPlan plan;
    List<PriceChain.Kind> priceChain;
    AwsPriceListOptions aws;
    try {
      plan = plan();
      priceChain = PriceChain.parse("--price-source", priceSources);
      aws = awsOptions();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    }
    YardmasterServer server = null;
    Path demo = null;
    try {
      List<String> endpoints = new ArrayList<>(targets);
      if (local) {
        Path repo = repository;
        if (repo == null) {
          demo = Files.createTempDirectory("yardmaster-demo");
          DemoModels.writeRepository(demo, true);
          repo = demo;
        }
        server = YardmasterServer.builder(BackendManagers.onnxRuntime(repo))
            .httpPort(0).grpcPort(0).metricsPort(0).build().start();
        endpoints.add(0, "127.0.0.1:" + server.grpcPort());
        progress(err, "local server on 127.0.0.1:" + server.grpcPort() + " serving " + repo);
      }
      List<SweepTarget> sweepTargets;
      try {
        sweepTargets = sweepTargets(endpoints);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return Main.EXIT_USAGE;
      }
      return sweep(plan, sweepTargets, PriceChain.resolver(priceChain,
          priceCache == null ? PriceCache.defaultPath() : priceCache, aws), stdout, err, outputFormat);
    } finally {
      if (server != null) {
        server.stop();
      }
      if (demo != null) {
        deleteTree(demo);
      }
    }
  }

  private AwsPriceListOptions awsOptions() {
    AwsPriceListOptions.Builder builder = AwsPriceListOptions.builder();
    if (awsProfile != null) {
      builder.profile(awsProfile, awsCredentialsFile);
    } else if (awsCredentialsFile != null) {
      throw new IllegalArgumentException("--aws-credentials-file: " + awsCredentialsFile
          + " (expected: together with --aws-profile NAME)");
    }
    if (awsEndpoint != null) {
      builder.endpointOverride(awsEndpoint);
    }
    return builder.build();
  }

  private int sweep(SweepPlan plan, List<SweepTarget> sweepTargets, PriceResolver resolver, PrintWriter stdout,
      PrintWriter err, String outputFormat) throws IOException {
    ProgressBar bar = new ProgressBar(err, quiet);
    try (PriceResolver prices = resolver) {
      Sweep sweep = Sweep.builder(model, plan).prices(prices).listener(bar).dataFile(dataFile).build();
      SweepResult result;
      try (StopOnSignal signals = StopOnSignal.install(sweep::stop, err)) {
        result = sweep.run(sweepTargets);
        bar.finish();
        int code = write(result, stdout, err, outputFormat);
        return signals.received() == null ? code : signals.received().exitCode();
      }
    }
  }

  private int write(SweepResult result, PrintWriter stdout, PrintWriter err, String outputFormat) throws IOException {
    List<String> missing = result.missing().stream().map(MissingTarget::toString).toList();
    if (result.interrupted()) {
      missing = new ArrayList<>(missing);
      int unmeasured = result.profile().unmeasured() == null ? 0 : result.profile().unmeasured().size();
      missing.add("interrupted: partial results, " + unmeasured + " planned points not measured"
          + " (expected: the whole grid)");
    }
    Profile profile = result.profile();
    Path file = out.resolve(profile.model() + ".json");
    if (!profile.entries().isEmpty()) {
      if (update && Files.exists(file)) {
        try {
          profile = ProfileMerge.merge(ProfileFiles.read(file), profile);
        } catch (InvalidProfileException | IllegalArgumentException e) {
          // keep the measurements: write them beside the file that cannot be merged into
          err.println(e.getMessage());
          file = out.resolve(profile.model() + ".new.json");
          err.println("--update: not merged (expected: a valid profile of " + profile.model() + "); writing " + file);
        }
      }
      ProfileFiles.write(file, profile);
      err.println("wrote " + file);
    } else {
      err.println("nothing measured: " + file + " not written");
    }
    Path html = out.resolve(profile.model() + ".html");
    Files.createDirectories(out);
    PriceReport prices = result.priceReport();
    Files.writeString(html, ProfileHtmlReport.render(profile, missing, prices), StandardCharsets.UTF_8);
    err.println("wrote " + html);
    stdout.print(outputFormat.equals("json") ? ProfileFiles.toJson(profile, file.getFileName().toString())
        : SummaryTable.render(profile, missing)
            + (prices.resolutions().isEmpty() ? "" : "\nprices (source per instance type; why earlier sources"
                + " had none):\n" + prices.render()));
    stdout.flush();
    missing.forEach(line -> err.println("missing: " + line));
    return profile.entries().isEmpty() ? Main.EXIT_FAILURE : Main.EXIT_OK;
  }

  private int compare(PrintWriter stdout, PrintWriter err, String outputFormat) throws IOException {
    try {
      ProfileComparison comparison =
          ProfileComparison.compare(ProfileFiles.read(compare.get(0)), ProfileFiles.read(compare.get(1)));
      stdout.print(outputFormat.equals("json") ? comparison.toJson() : comparison.toText());
      stdout.flush();
      return Main.EXIT_OK;
    } catch (NoSuchFileException e) {
      err.println(e.getFile() + ": no such file (expected: a profile JSON for --compare)");
      return Main.EXIT_USAGE;
    } catch (InvalidProfileException e) {
      err.println(e.getMessage());
      return Main.EXIT_USAGE;
    }
  }

  private SweepPlan plan() {
    SweepPlan plan = SweepPlan.defaults();
    if (batches != null) {
      plan = plan.withBatches(SweepPlan.parseList("--batch", batches));
    }
    if (concurrencies != null) {
      plan = plan.withConcurrencies(SweepPlan.parseList("--concurrency", concurrencies));
    }
    Duration windowDuration = window == null ? plan.window() : Duration.ofNanos(SimulateCommand.parseDurationNanos(window));
    Duration cap = pointCap == null ? plan.pointCap() : Duration.ofNanos(SimulateCommand.parseDurationNanos(pointCap));
    Duration warm = warmUp == null ? plan.warmUp() : Duration.ofNanos(SimulateCommand.parseDurationNanos(warmUp));
    plan = new SweepPlan(plan.batches(), plan.concurrencies(), plan.mode(), plan.requestsPerSecond(), warm,
        windowDuration, plan.stableWindows(), plan.tolerance(), cap, plan.deadline(), seed);
    return rate == null ? plan : plan.fixedRate(rate);
  }

  private List<SweepTarget> sweepTargets(List<String> endpoints) {
    List<SweepTarget> result = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      boolean isLocal = local && i == 0;
      String pool = pick(pools, i, isLocal ? "cpu-local" : "remote-" + (local ? i : i + 1));
      result.add(new SweepTarget(Target.parse(endpoints.get(i)), modelVersion,
          pick(backends, i, isLocal ? "onnxruntime" : "kserve"), pool, pick(instanceTypes, i, "c7g.xlarge"),
          pick(accelerators, i, "cpu"), i < pricesPerHour.size() ? pricesPerHour.get(i) : null));
    }
    return result;
  }

  /** The i-th value, else the last given, else the default. */
  private static String pick(List<String> values, int i, String fallback) {
    if (values.isEmpty()) {
      return fallback;
    }
    return values.get(Math.min(i, values.size() - 1));
  }

  private void progress(PrintWriter err, String line) {
    if (!quiet) {
      err.println(line);
      err.flush();
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }

  /**
   * Ctrl-C (SIGINT) and SIGTERM stop the sweep after the current measurement window instead of
   * ending the JVM, so the partial profile, report and summary are written by the ordinary code path
   * (a shutdown hook could not: the JVM refuses new shutdown hooks, which AWT needs to render the
   * charts, once shutdown has begun). A second signal quits at once. The command then exits with the
   * shell's status for the signal (130, 143).
   */
  static final class StopOnSignal implements AutoCloseable {

    /** A signal this class stops the sweep on. */
    enum Received {
      INT(130), TERM(143);

      private final int exitCode;

      Received(int exitCode) {
        this.exitCode = exitCode;
      }

      int exitCode() {
        return exitCode;
      }
    }

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile @Nullable Received received;

    private StopOnSignal() {}

    static StopOnSignal install(Runnable stop, PrintWriter err) {
      StopOnSignal handlers = new StopOnSignal();
      for (Received kind : Received.values()) {
        Signal signal = new Signal(kind.name());
        try {
          handlers.previous.put(signal, Signal.handle(signal, s -> handlers.onSignal(kind, s, stop, err)));
        } catch (IllegalArgumentException unavailable) {
          // this platform or JVM option (-Xrs) keeps the signal: it ends the JVM as usual
        }
      }
      return handlers;
    }

    private void onSignal(Received kind, Signal signal, Runnable stop, PrintWriter err) {
      if (received != null) {
        SignalHandler old = previous.get(signal);
        if (old != null && old != SignalHandler.SIG_DFL && old != SignalHandler.SIG_IGN) {
          old.handle(signal);
        } else {
          Runtime.getRuntime().halt(kind.exitCode());
        }
        return;
      }
      received = kind;
      stop.run();
      err.println();
      err.println("SIG" + kind + ": finishing the current window, then writing the partial results"
          + " (again to quit now)");
      err.flush();
    }

    @Nullable Received received() {
      return received;
    }

    /** Gives the signals back to their previous handlers. */
    @Override
    public void close() {
      previous.forEach(Signal::handle);
    }
  }

  /** A progress bar on stderr: redrawn in place on a terminal, one line per point otherwise. */
  static final class ProgressBar implements SweepListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal = System.console() != null;

    ProgressBar(PrintWriter err, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
    }

    @Override
    public void onPoint(SweepTarget target, PointResult point, int index, int total) {
      if (quiet) {
        return;
      }
      int shown = Math.min(total, index + 1);
      int filled = total == 0 ? WIDTH : WIDTH * shown / Math.max(1, total);
      String line = String.format(Locale.ROOT, "[%s%s] %d/%d %s b=%d c=%d: %.0f infer/s p99 %.2f ms%s%s%s",
          "#".repeat(filled), ".".repeat(WIDTH - filled), shown, total, target.pool(), point.batch(),
          point.concurrency(), point.throughput(), point.p99Ms(),
          point.server() == null ? "" : String.format(Locale.ROOT, " (server: queue %.2f ms, compute %.2f ms)",
              point.server().queueMs(), point.server().computeMs()),
          point.totalErrors() > 0 ? " errors " + point.errors() : "", point.stable() ? "" : " (unstable)");
      err.print(terminal ? "\r" + line + "\u001b[K" : line + "\n");
      err.flush();
    }

    @Override
    public void onNoServerStatistics(SweepTarget target, String reason) {
      if (!quiet) {
        err.print((terminal ? "\r\u001b[K" : "") + target.pool() + ": queue/compute split n/a: " + reason + "\n");
        err.flush();
      }
    }

    @Override
    public void onMissing(MissingTarget missing) {
      if (!quiet) {
        err.print((terminal ? "\r\u001b[K" : "") + "missing: " + missing + "\n");
        err.flush();
      }
    }

    void finish() {
      if (!quiet && terminal) {
        err.println();
      }
    }
  }
}
