package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerOptions;
import dev.yardmaster.router.bench.BenchReport;
import dev.yardmaster.router.bench.BenchRounds;
import dev.yardmaster.router.bench.EchoRound;
import dev.yardmaster.router.bench.LoneStreamRound;
import dev.yardmaster.router.bench.PairedRound;
import dev.yardmaster.router.bench.RawPoint;
import dev.yardmaster.router.bench.ReportFiles;
import dev.yardmaster.router.bench.ServingSweep;
import dev.yardmaster.router.bench.ServingTargets;
import dev.yardmaster.router.bench.SweepPlan;
import dev.yardmaster.router.bench.SweepPoint;
import dev.yardmaster.router.bench.SweepTables;
import dev.yardmaster.router.bench.TargetCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yardmaster bench}: the serving benchmark of DESIGN.md's budgets, in one run on this
 * machine: raw in-process ONNX Runtime at batch 1 and 64, the gRPC closed-loop sweep with
 * batching off and on, the bare echo RPC on the same server stack, paired rounds of wide_mlp
 * (raw and served back to back, whose medians the wide_mlp budgets are judged on) and rounds of
 * higgs_mlp_v1 served against echo (back to back, whose median the served / echo budget is judged
 * on), rounds of both models at c=1 with batching off and on (back to back, whose medians the
 * c=1 budgets are judged on), and informational rounds of wide_mlp at c=128, a load that fills
 * 64-row batches; then the ratios with PASS/FAIL. Tables on stdout, progress on stderr, JSON under {@code target/bench/}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure serving against its budgets: raw ONNX Runtime (batch 1, 64), served gRPC"
        + " batch-1 closed loop at c=1,4,16,64 with batching off and on, and the bare echo RPC;"
        + " then paired rounds of wide_mlp at the top concurrency (raw and served back to back) and rounds"
        + " of higgs_mlp_v1 served against echo (back to back), rounds of both models at c=1 with batching off and"
        + " on (back to back), and rounds of wide_mlp at c=128, a load that fills 64-row batches (informational);"
        + " print the ratios with PASS/FAIL. About 8 minutes by default.")
public final class BenchCommand implements Callable<Integer> {

  static final List<Integer> RAW_BATCHES = List.of(1, DemoModels.MAX_BATCH_SIZE);

  /**
   * The window of each lone-stream round's points (at most the sweep's): a single stream's rate
   * settles within a second, and short points taken in turn follow a drifting machine closely.
   */
  static final Duration LONE_STREAM_MEASURE = Duration.ofSeconds(2);

  static final Duration LONE_STREAM_WARM_UP = Duration.ofMillis(500);

  @Spec CommandSpec spec;

  @Mixin SweepOptions sweepOptions = new SweepOptions();

  @Option(names = "--duration-per-point", defaultValue = "5s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measurement window of each served point (default: ${DEFAULT-VALUE}).")
  Duration measure;

  @Option(names = "--warm-up", defaultValue = "1s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Unrecorded load before each served point (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(names = "--raw-duration", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measurement window of each raw ONNX Runtime point, after a quarter as long of warm-up (default: ${DEFAULT-VALUE}).")
  Duration rawMeasure;

  @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
      description = "Rounds after the sweep, of wide_mlp at the top concurrency (raw batch 1 and 64,"
          + " served batching off and on, back to back), of higgs_mlp_v1 served against echo there, and of"
          + " both models at c=1 with batching off and on (2 s points); the targets take their medians"
          + " (default: ${DEFAULT-VALUE}; 0 = judge the sweep's single points).")
  int rounds;

  @Option(names = "--fill-rounds", defaultValue = "3", paramLabel = "N",
      description = "Rounds of wide_mlp, as above, at twice the max batch size (c=128): a load that fills"
          + " the batcher's 64-row batches, where the top concurrency of 64 callers leaves one instance"
          + " about half of them per batch; informational, no target reads them (default: ${DEFAULT-VALUE};"
          + " 0 = none; skipped when the top concurrency is already that high).")
  int fillRounds;

  @Option(names = "--strict", description = "Exit 1 when a target is missed.")
  boolean strict;

  @Option(names = "--output-dir", defaultValue = "target/bench", paramLabel = "DIR",
      description = "Where the repositories and serving-*.json go (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SweepPlan plan;
    try {
      plan = sweepOptions.plan(warmUp, measure);
    } catch (IllegalArgumentException invalid) {
      err.println("bench: " + invalid.getMessage());
      return Main.EXIT_USAGE;
    }
    if (rounds < 0) {
      err.println("bench: --rounds: " + rounds + " (expected: >= 0)");
      return Main.EXIT_USAGE;
    }
    if (fillRounds < 0) {
      err.println("bench: --fill-rounds: " + fillRounds + " (expected: >= 0)");
      return Main.EXIT_USAGE;
    }
    Duration raw = sweepOptions.quick ? Duration.ofMillis(200) : rawMeasure;
    int top = plan.concurrencies().stream().mapToInt(Integer::intValue).max().orElse(1);
    int fill = 2 * DemoModels.MAX_BATCH_SIZE;
    int fillRoundCount = fill > top ? fillRounds : 0;
    int loneRoundCount = plan.concurrencies().contains(1) ? rounds : 0;
    SweepPlan lonePlan = new SweepPlan(plan.models(), List.of(1), shorter(plan.warmUp(), LONE_STREAM_WARM_UP),
        shorter(plan.measure(), LONE_STREAM_MEASURE));
    OrtRunnerOptions options = sweepOptions.runnerOptions();
    int echoPoints = plan.concurrencies().size();
    Duration servedPoint = plan.warmUp().plus(plan.measure());
    Duration rawPoint = raw.plus(raw.dividedBy(4));
    Duration total = plan.loadTime()
        .plus(servedPoint.multipliedBy(echoPoints + 4L * rounds + 2L * fillRoundCount))
        .plus(lonePlan.warmUp().plus(lonePlan.measure()).multipliedBy(2L * plan.models().size() * loneRoundCount))
        .plus(rawPoint.multipliedBy((long) SweepOptions.MODELS.size() * RAW_BATCHES.size() + 3L * rounds
            + 3L * fillRoundCount));
    err.printf(Locale.ROOT, "bench: %d served, %d echo and %d raw points, %d paired, %d echo, %d lone-stream and %d"
            + " fill rounds, about %d s%n", plan.pointCount(), echoPoints, SweepOptions.MODELS.size() * RAW_BATCHES.size(),
        rounds, rounds, loneRoundCount, fillRoundCount, total.toSeconds());

    List<RawPoint> rawPoints = new ArrayList<>();
    List<SweepPoint> serving;
    List<SweepPoint> echo;
    List<PairedRound> pairedRounds;
    List<EchoRound> echoRounds;
    List<LoneStreamRound> loneRounds;
    List<PairedRound> fillPairedRounds;
    try (ServingSweep sweep = ServingSweep.start(outputDir.resolve("repository"), options, err)) {
      // the servers are idle meanwhile: raw runs see the same quiet machine as served runs
      for (String model : SweepOptions.MODELS) {
        for (int batch : RAW_BATCHES) {
          rawPoints.add(sweep.raw("[raw] " + model + " batch " + batch, model, batch,
              raw.dividedBy(4), raw));
        }
      }
      sweep.warmUp(plan.models(), sweepOptions.startupWarmUp());
      serving = sweep.run(plan);
      echo = sweep.runEcho(plan);
      pairedRounds = sweep.pairedRounds(DemoModels.WIDE_MLP, top, DemoModels.MAX_BATCH_SIZE, rounds,
          plan, raw.dividedBy(4), raw);
      echoRounds = sweep.echoRounds(DemoModels.HIGGS_MLP_V1, top, rounds, plan);
      loneRounds = sweep.loneStreamRounds(plan.models(), loneRoundCount, lonePlan);
      fillPairedRounds = sweep.pairedRounds(DemoModels.WIDE_MLP, fill, DemoModels.MAX_BATCH_SIZE, fillRoundCount,
          plan, raw.dividedBy(4), raw);
    }
    List<TargetCheck> checks = ServingTargets.check(serving, echo, rawPoints,
        new BenchRounds(pairedRounds, echoRounds, loneRounds));

    out.println();
    out.println("served (gRPC, batch-1 requests, closed loop):");
    out.print(SweepTables.serving(serving));
    out.println();
    out.println("bare echo RPC (same server stack, same request size):");
    out.print(SweepTables.serving(echo));
    out.println();
    out.println("raw in-process ONNX Runtime (one thread calling run, served session options):");
    out.print(SweepTables.raw(rawPoints));
    out.println();
    if (!pairedRounds.isEmpty()) {
      out.printf(Locale.ROOT, "%s paired rounds at c=%d (back to back, every other round reversed):%n",
          DemoModels.WIDE_MLP, top);
      out.print(SweepTables.rounds(pairedRounds));
      ServingTargets.roundsSummary(pairedRounds).ifPresent(out::print);
      out.println();
    }
    if (!fillPairedRounds.isEmpty()) {
      out.printf(Locale.ROOT, "%s paired rounds at c=%d, a load that fills %d-row batches (informational, no"
          + " target):%n", DemoModels.WIDE_MLP, fill, DemoModels.MAX_BATCH_SIZE);
      out.print(SweepTables.rounds(fillPairedRounds));
      ServingTargets.roundsSummary(fillPairedRounds).ifPresent(out::print);
      out.println();
    }
    if (!echoRounds.isEmpty()) {
      out.printf(Locale.ROOT, "%s served (batching on) and echo rounds at c=%d (back to back, every other round"
          + " reversed):%n", DemoModels.HIGGS_MLP_V1, top);
      out.print(SweepTables.echoRounds(echoRounds));
      out.println();
    }
    if (!loneRounds.isEmpty()) {
      out.printf(Locale.ROOT, "c=1 rounds, batching off and on (back to back, every other round reversed, %d ms"
          + " points):%n", lonePlan.measure().toMillis());
      out.print(SweepTables.loneStreamRounds(loneRounds));
      out.println();
    }
    out.println("targets:");
    out.print(ServingTargets.render(checks));
    long met = checks.stream().filter(TargetCheck::passed).count();
    out.printf(Locale.ROOT, "%d of %d targets met%n", met, checks.size());
    ServingTargets.servedVsEchoByCpu(serving, echo).ifPresent(line -> {
      out.println();
      out.println("the same on CPU (process CPU per request, load generator included; steadier on a shared machine):");
      out.print(line);
    });
    out.flush();

    Instant now = Instant.now();
    BenchReport report = new BenchReport(now.toString(), BenchReport.Machine.current(),
        new BenchReport.Settings(plan.warmUp().toMillis() / 1e3, plan.measure().toMillis() / 1e3,
            raw.dividedBy(4).toMillis() / 1e3, raw.toMillis() / 1e3,
            options.intraOpThreads(), options.interOpThreads()),
        serving, echo, rawPoints, pairedRounds, echoRounds, loneRounds, fillPairedRounds, checks);
    Path json = ReportFiles.write(outputDir, "serving", report, now);
    err.println("bench: wrote " + json + " and serving-latest.json");
    return strict && met < checks.size() ? Main.EXIT_FAILURE : Main.EXIT_OK;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
