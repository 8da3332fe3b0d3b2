package dev.yardmaster.cli;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.sweep.ModelInputs;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.sweep.Sweep;
import dev.yardmaster.profiler.sweep.SweepPlan;
import dev.yardmaster.profiler.sweep.SweepResult;
import dev.yardmaster.profiler.sweep.SweepTarget;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code yardmaster profile --self-bench}: is the profiler measuring the server or itself? Against
 * one in-process demo server, in the same run: (1) the profiler's closed-loop driver vs a minimal
 * grpc-java async loop (same model, batch, concurrency, one channel, the same direct executor),
 * alternating rounds, target ratio >= 0.9; (2) a full default profile of higgs_mlp_v1 on the local
 * ORT backend, target <= 3 minutes.
 */
final class ProfileSelfBench {

  static final String MODEL = DemoModels.HIGGS_MLP_V1;
  static final int CONCURRENCY = 16;
  static final int BATCH = 1;
  static final Duration ROUND = Duration.ofMillis(1500);
  static final int ROUNDS = 9;

  private ProfileSelfBench() {}

  /** The two numbers of the driver comparison: inferences/s of each, means over the rounds. */
  /** Medians over the rounds; {@code ratio} is the median of each round's driver / raw (paired, so drift cancels). */
  record DriverVsRaw(double driverPerSecond, double rawPerSecond, double rawNoDeadlinePerSecond, double ratio) {}

  static int run(PrintWriter stdout, PrintWriter err, boolean json, boolean fullProfile) throws Exception {
    Path repo = Files.createTempDirectory("yardmaster-selfbench");
    DemoModels.writeRepository(repo, true);
    YardmasterServer server = YardmasterServer.builder(ModelManagers.forRepository(repo))
        .httpPort(0).grpcPort(0).metricsPort(0).build().start();
    try {
      Target target = new Target("127.0.0.1", server.grpcPort());
      err.println("self-bench: driver vs raw grpc-java loop, " + MODEL + " batch " + BATCH + " c=" + CONCURRENCY
          + ", " + ROUNDS + " rounds of " + ROUND.toMillis() + " ms each");
      err.flush();
      DriverVsRaw driver = driverVsRaw(target, ROUNDS, ROUND);
      err.println(String.format(Locale.ROOT, "self-bench: driver %.1f, raw %.1f, raw without deadlines %.1f infer/s",
          driver.driverPerSecond(), driver.rawPerSecond(), driver.rawNoDeadlinePerSecond()));
      err.flush();
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
      String text = String.format(Locale.ROOT,
          json ? "{\"driver_infer_per_s\": %.1f, \"raw_grpc_infer_per_s\": %.1f, \"ratio\": %.3f, "
              + "\"raw_grpc_no_deadline_infer_per_s\": %.1f, \"ratio_no_deadline\": %.3f, "
              + "\"full_profile_seconds\": %.1f, \"full_profile_points\": %d}%n"
              : "driver %.1f infer/s, raw grpc-java loop %.1f infer/s (medians), paired ratio %.3f (target >= 0.9)%n"
              + "raw loop without deadlines %.1f infer/s, ratio of medians %.3f%n"
              + "full default profile: %.1f s for %d points (target <= 180 s)%n",
          driver.driverPerSecond(), driver.rawPerSecond(), driver.ratio(), driver.rawNoDeadlinePerSecond(),
          driver.rawNoDeadlinePerSecond() == 0 ? 0 : driver.driverPerSecond() / driver.rawNoDeadlinePerSecond(),
          profileSeconds, points);
      stdout.print(text);
      stdout.flush();
      return driver.ratio() >= 0.9 && profileSeconds <= 180 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    } finally {
      server.stop();
      try (var paths = Files.walk(repo)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Alternates driver and raw rounds (after one warm-up of each) and averages each side. */
  static DriverVsRaw driverVsRaw(Target target, int rounds, Duration round) throws InterruptedException {
    RequestFactory requests;
    try (LoadChannels metadata = LoadChannels.open(target, 1)) {
      requests = ModelInputs.fetch(metadata.forStream(0), MODEL, "").forBatch(BATCH, 42L);
    }
    ModelInferRequest request = requests.create(0, 0).message();
    LoadSpec spec = LoadSpec.builder(target, requests)
        .concurrency(CONCURRENCY).channels(1).warmUp(Duration.ZERO).measure(round).build();
    rawLoop(target, request, Duration.ofSeconds(1), spec.deadline());
    ClosedLoopDriver.create().run(spec);
    double[] driver = new double[rounds];
    double[] raw = new double[rounds];
    double[] rawNoDeadline = new double[rounds];
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      // alternate who goes first so drift on a shared machine does not favour one side
      if (i % 2 == 1) {
        raw[i] = rawLoop(target, request, round, spec.deadline());
      }
      LoadResult result = ClosedLoopDriver.create().run(spec);
      if (result.totalErrors() > 0) {
        throw new IllegalStateException("driver: errors " + result.errors() + " (expected: none)");
      }
      driver[i] = result.inferencesPerSecond();
      if (i % 2 == 0) {
        raw[i] = rawLoop(target, request, round, spec.deadline());
      }
      rawNoDeadline[i] = rawLoop(target, request, round, null);
      ratios[i] = raw[i] == 0 ? 0 : driver[i] / raw[i];
    }
    return new DriverVsRaw(median(driver), median(raw), median(rawNoDeadline), median(ratios));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * The baseline, written plainly: CONCURRENCY async unary calls on one channel, each completion
   * sending the next, counting completions for {@code duration}. With {@code deadline} each call
   * carries it, as the driver's calls do (the server sees the same requests); without, the bare
   * minimum. Returns inferences per second.
   */
  static double rawLoop(Target target, ModelInferRequest request, Duration duration,
      @org.jspecify.annotations.Nullable Duration deadline) throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.port())
        .usePlaintext().directExecutor().build();
    try {
      GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub = GRPCInferenceServiceGrpc.newStub(channel);
      LongAdder completed = new LongAdder();
      LongAdder errors = new LongAdder();
      AtomicBoolean running = new AtomicBoolean(true);
      CountDownLatch finished = new CountDownLatch(CONCURRENCY);
      long start = System.nanoTime();
      for (int i = 0; i < CONCURRENCY; i++) {
        new Object() {
          void send() {
            (deadline == null ? stub : stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS))
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
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(2, TimeUnit.SECONDS);
    }
  }
}
