package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadRequest;
import dev.yardmaster.profiler.load.RequestFactories;
import dev.yardmaster.profiler.sweep.ModelInputs;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.sweep.Sweep;
import dev.yardmaster.profiler.sweep.SweepPlan;
import dev.yardmaster.profiler.sweep.SweepResult;
import dev.yardmaster.profiler.sweep.SweepTarget;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.local.BackendManagers;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code yardmaster profile --self-bench}: is the profiler measuring the server or itself? Against
 * one in-process demo server, in the same run: (1) the profiler's closed-loop driver vs a minimal
 * grpc-java async loop, target ratio >= 0.9; (2) a full default profile of higgs_mlp_v1 on the local
 * ORT backend, target <= 3 minutes.
 *
 * <p>The comparison is paired so that only the loops differ: both sides send the same request
 * (batch {@value #BATCH}) with the same deadline at the same concurrency ({@value #CONCURRENCY}
 * calls in flight) over one channel each, built the same way ({@link LoadChannels}: plaintext,
 * direct executor) and opened and warmed up before any round (alternating one-second windows of
 * each side until both are steady: the server's and the client's JIT settle first); then {@value
 * #ROUNDS} rounds, each one window of the driver and one of the raw loop, the order alternating (A B,
 * B A, ...) so drift on a shared machine does not favour a side. Reported: each side's median, the
 * median of the per-round ratios (the verdict) and the ratio of the medians, and the spread.
 */
final class ProfileSelfBench {

  static final String MODEL = DemoModels.HIGGS_MLP_V1;
  static final int CONCURRENCY = 16;
  static final int BATCH = 1;
  /** Least warm-up: alternating windows of both sides, the JIT of client and server included. */
  static final Duration WARM_UP = Duration.ofSeconds(10);
  /** Most warm-up, when the machine never settles. */
  static final Duration MAX_WARM_UP = Duration.ofSeconds(40);
  static final Duration WARM_UP_WINDOW = Duration.ofSeconds(1);
  static final Duration ROUND = Duration.ofMillis(1500);
  static final int ROUNDS = 10;
  static final double TARGET_RATIO = 0.9;

  private ProfileSelfBench() {}

  /** One round: inferences per second of each side, measured back to back. */
  record Round(double driverPerSecond, double rawPerSecond) {
    double ratio() {
      return rawPerSecond == 0 ? 0 : driverPerSecond / rawPerSecond;
    }
  }

  /** Every round of the comparison, and its statistics. */
  record DriverVsRaw(List<Round> rounds, int warmUpWindows) {
    double driverMedian() {
      return median(rounds.stream().mapToDouble(Round::driverPerSecond).toArray());
    }

    double rawMedian() {
      return median(rounds.stream().mapToDouble(Round::rawPerSecond).toArray());
    }

    /** The verdict: per-round ratios are paired, so slow phases of the machine cancel. */
    double pairedRatio() {
      return median(rounds.stream().mapToDouble(Round::ratio).toArray());
    }

    double ratioOfMedians() {
      return rawMedian() == 0 ? 0 : driverMedian() / rawMedian();
    }

    double minRatio() {
      return rounds.stream().mapToDouble(Round::ratio).min().orElse(0);
    }

    double maxRatio() {
      return rounds.stream().mapToDouble(Round::ratio).max().orElse(0);
    }
  }

  static int run(PrintWriter stdout, PrintWriter err, boolean json, boolean fullProfile) throws Exception {
    Path repo = Files.createTempDirectory("yardmaster-selfbench");
    DemoModels.writeRepository(repo, true);
    YardmasterServer server = YardmasterServer.builder(BackendManagers.onnxRuntime(repo))
        .httpPort(0).grpcPort(0).metricsPort(0).build().start();
    try {
      Target target = new Target("127.0.0.1", server.grpcPort());
      err.println("self-bench: driver vs raw grpc-java loop, " + MODEL + " batch " + BATCH + " c=" + CONCURRENCY
          + ", one channel each, warm-up until steady (" + WARM_UP.toSeconds() + ".." + MAX_WARM_UP.toSeconds()
          + " s), " + ROUNDS
          + " interleaved rounds of " + ROUND.toMillis() + " ms per side");
      err.flush();
      DriverVsRaw driver = driverVsRaw(target, ROUNDS, ROUND, WARM_UP);
      double profileSeconds = 0;
      int points = 0;
      if (fullProfile) {
        err.println("self-bench: full default profile of " + MODEL + " on the local ORT backend");
        err.flush();
        long start = System.nanoTime();
        SweepResult result = Sweep.builder(MODEL, SweepPlan.defaults()).build().run(List.of(
            new SweepTarget(target, "", "onnxruntime", "cpu-local", "c7g.xlarge", "cpu", 0.1445)));
        profileSeconds = (System.nanoTime() - start) / 1e9;
        points = result.entries().isEmpty() ? 0 : result.entries().get(0).grid().size();
      }
      stdout.print(json ? toJson(driver, profileSeconds, points) : toText(driver, profileSeconds, points, fullProfile));
      stdout.flush();
      boolean profileOk = !fullProfile || profileSeconds <= 180;
      return driver.pairedRatio() >= TARGET_RATIO && profileOk ? Main.EXIT_OK : Main.EXIT_FAILURE;
    } finally {
      server.stop();
      try (var paths = Files.walk(repo)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  static String toText(DriverVsRaw result, double profileSeconds, int points, boolean fullProfile) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%5s %14s %14s %7s%n", "round", "driver infer/s", "raw infer/s", "ratio"));
    for (int i = 0; i < result.rounds().size(); i++) {
      Round round = result.rounds().get(i);
      out.append(String.format(Locale.ROOT, "%5d %14.1f %14.1f %7.3f%s%n", i + 1, round.driverPerSecond(),
          round.rawPerSecond(), round.ratio(), i % 2 == 0 ? "" : "  (raw first)"));
    }
    out.append(String.format(Locale.ROOT,
        "after %d warm-up windows per side: driver %.1f infer/s, raw grpc-java loop %.1f infer/s (medians);"
            + " ratio: median of paired rounds %.3f (min %.3f, max %.3f), of medians %.3f (target >= %.1f)%n",
        result.warmUpWindows(), result.driverMedian(), result.rawMedian(), result.pairedRatio(), result.minRatio(), result.maxRatio(),
        result.ratioOfMedians(), TARGET_RATIO));
    if (fullProfile) {
      out.append(String.format(Locale.ROOT, "full default profile: %.1f s for %d points (target <= 180 s)%n",
          profileSeconds, points));
    }
    return out.toString();
  }

  static String toJson(DriverVsRaw result, double profileSeconds, int points) {
    StringBuilder rounds = new StringBuilder();
    for (Round round : result.rounds()) {
      rounds.append(rounds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
          "{\"driver\": %.1f, \"raw\": %.1f, \"ratio\": %.3f}", round.driverPerSecond(), round.rawPerSecond(),
          round.ratio()));
    }
    return String.format(Locale.ROOT, "{\"driver_infer_per_s\": %.1f, \"raw_grpc_infer_per_s\": %.1f, "
        + "\"ratio\": %.3f, \"ratio_min\": %.3f, \"ratio_max\": %.3f, \"ratio_of_medians\": %.3f, "
        + "\"warm_up_windows\": %d, \"rounds\": [%s], \"full_profile_seconds\": %.1f, \"full_profile_points\": %d}%n",
        result.driverMedian(), result.rawMedian(), result.pairedRatio(), result.minRatio(), result.maxRatio(),
        result.ratioOfMedians(), result.warmUpWindows(), rounds, profileSeconds, points);
  }

  /** Warms both sides up, then runs {@code rounds} rounds, the order alternating. */
  static DriverVsRaw driverVsRaw(Target target, int rounds, Duration round, Duration warmUp)
      throws InterruptedException {
    ModelInferRequest request;
    try (LoadChannels metadata = LoadChannels.open(target, 1)) {
      request = ModelInputs.fetch(metadata.forStream(0), MODEL, "").forBatch(BATCH, 42L).create(0, 0).message();
    }
    LoadSpec spec = LoadSpec.builder(target, RequestFactories.constant(LoadRequest.of(request, BATCH)))
        .concurrency(CONCURRENCY).channels(1).warmUp(Duration.ZERO).measure(round).build();
    int warmUpWindows;
    try (LoadChannels driverChannel = LoadChannels.open(target, 1);
        LoadChannels rawChannel = LoadChannels.open(target, 1)) {
      ClosedLoopDriver driver = ClosedLoopDriver.create();
      // warm up both sides (and the server's JIT) in alternating one-second windows until each side's
      // last two windows agree within 10%, at least warmUp and at most MAX_WARM_UP
      LoadSpec warmSpec = new LoadSpec(target, spec.call(), spec.requests(), CONCURRENCY, 1, Duration.ZERO,
          WARM_UP_WINDOW, spec.maxRequests(), spec.deadline());
      long warmStart = System.nanoTime();
      List<Round> warm = new ArrayList<>();
      while (true) {
        double raw = rawLoop(rawChannel.forStream(0), request, WARM_UP_WINDOW, spec.deadline());
        warm.add(new Round(driver.run(warmSpec, driverChannel).inferencesPerSecond(), raw));
        long elapsed = System.nanoTime() - warmStart;
        if (elapsed >= MAX_WARM_UP.toNanos() || (elapsed >= warmUp.toNanos() && steady(warm))) {
          break;
        }
      }
      warmUpWindows = warm.size();
      List<Round> results = new ArrayList<>(rounds);
      for (int i = 0; i < rounds; i++) {
        double raw = 0;
        if (i % 2 == 1) {
          raw = rawLoop(rawChannel.forStream(0), request, round, spec.deadline());
        }
        LoadResult result = driver.run(spec, driverChannel);
        if (result.totalErrors() > 0) {
          throw new IllegalStateException("driver: errors " + result.errors() + " (expected: none)");
        }
        if (i % 2 == 0) {
          raw = rawLoop(rawChannel.forStream(0), request, round, spec.deadline());
        }
        results.add(new Round(result.inferencesPerSecond(), raw));
      }
      return new DriverVsRaw(results, warmUpWindows);
    }
  }

  /** Whether each side's last two warm-up windows are within 10% of each other. */
  private static boolean steady(List<Round> warm) {
    if (warm.size() < 2) {
      return false;
    }
    Round last = warm.get(warm.size() - 1);
    Round before = warm.get(warm.size() - 2);
    return close(last.driverPerSecond(), before.driverPerSecond()) && close(last.rawPerSecond(), before.rawPerSecond());
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 0.10 * Math.max(a, b);
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /**
   * The baseline, written plainly: CONCURRENCY async unary calls through the generated stub, each
   * completion sending the next, counting completions for {@code duration}; each call carries the
   * driver's deadline so the server sees the same requests. Returns inferences per second.
   */
  static double rawLoop(Channel channel, ModelInferRequest request, Duration duration, Duration deadline)
      throws InterruptedException {
    GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub = GRPCInferenceServiceGrpc.newStub(channel);
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch finished = new CountDownLatch(CONCURRENCY);
    long start = System.nanoTime();
    for (int i = 0; i < CONCURRENCY; i++) {
      new Object() {
        void send() {
          stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
              .modelInfer(request, new StreamObserver<ModelInferResponse>() {
                @Override
                public void onNext(ModelInferResponse response) {}

                @Override
                public void onError(Throwable t) {
                  errors.increment();
                  finished.countDown();
                }

                @Override
                public void onCompleted() {
                  completed.increment();
                  if (running.get()) {
                    send();
                  } else {
                    finished.countDown();
                  }
                }
              });
        }
      }.send();
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    long count = completed.sum();
    double seconds = (System.nanoTime() - start) / 1e9;
    finished.await(5, TimeUnit.SECONDS);
    if (errors.sum() > 0) {
      throw new IllegalStateException("raw loop: " + errors.sum() + " failed calls (expected: none)");
    }
    return count * BATCH / seconds;
  }
}
