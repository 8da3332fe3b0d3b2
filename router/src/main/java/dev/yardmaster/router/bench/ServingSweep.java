package dev.yardmaster.router.bench;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.onnx.OrtRunnerOptions;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.profiler.load.CallKind;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.RequestFactories;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import dev.yardmaster.profiler.sweep.ServerStatistics;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The demo repository served twice in process, once without and once with dynamic batching, each
 * on its own ephemeral ports, and closed-loop gRPC sweeps of batch-1 requests against them. Used by
 * {@code yardmaster demo} and {@code yardmaster bench}; progress goes to the given stream.
 */
public final class ServingSweep implements AutoCloseable {

  /** The label of echo points. */
  public static final String ECHO_LABEL = "echo";

  /** Seed of the request inputs, so every run sends the same values. */
  private static final long SEED = 42L;

  /** Streams of the start-up warm-up: enough to exercise the batcher's batch forming. */
  private static final int WARM_UP_CONCURRENCY = 16;

  private final YardmasterServer batchingOff;
  private final YardmasterServer batchingOn;
  private final Path root;
  private final OrtRunnerOptions options;
  private final PrintWriter messages;
  /** One channel per server for its ModelStatistics, read before and after each model point. */
  private final ManagedChannel statisticsOff;
  private final ManagedChannel statisticsOn;

  private ServingSweep(YardmasterServer batchingOff, YardmasterServer batchingOn, Path root,
      OrtRunnerOptions options, PrintWriter messages) {
    this.batchingOff = batchingOff;
    this.batchingOn = batchingOn;
    this.root = root;
    this.options = options;
    this.messages = messages;
    this.statisticsOff = statisticsChannel(batchingOff);
    this.statisticsOn = statisticsChannel(batchingOn);
  }

  private static ManagedChannel statisticsChannel(YardmasterServer server) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(), InsecureChannelCredentials.create())
        .build();
  }

  /**
   * Writes the demo repository under {@code workDir/batching-off} and {@code workDir/batching-on}
   * and starts a server on each (ports 0).
   *
   * @param options the ONNX Runtime session settings both servers use
   */
  public static ServingSweep start(Path workDir, OrtRunnerOptions options, PrintWriter messages)
      throws IOException {
    YardmasterServer off = serve(repository(workDir, false), options);
    try {
      YardmasterServer on = serve(repository(workDir, true), options);
      ServingSweep sweep = new ServingSweep(off, on, workDir, options, messages);
      messages.printf(
          Locale.ROOT,
          "serving %s%n  batching off: grpc %d, http %d, metrics %d%n"
              + "  batching on:  grpc %d, http %d, metrics %d%n",
          workDir, off.grpcPort(), off.httpPort(), off.metricsPort(),
          on.grpcPort(), on.httpPort(), on.metricsPort());
      messages.flush();
      return sweep;
    } catch (IOException | RuntimeException failure) {
      off.stop();
      throw failure;
    }
  }

  /** The repository directory for one batching setting under a work directory. */
  public static Path repository(Path workDir, boolean batching) {
    return workDir.resolve(batching ? "batching-on" : "batching-off");
  }

  private static YardmasterServer serve(Path repository, OrtRunnerOptions options)
      throws IOException {
    DemoModels.writeRepository(repository, repository.endsWith("batching-on"));
    ModelManager manager =
        new RepositoryModelManager(
            repository,
            new OrtRunnerFactory(options),
            Schedulers.factory(),
            RepositoryOptions.loadAllModels());
    try {
      return YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    } catch (RuntimeException failure) {
      manager.close();
      throw failure;
    }
  }

  /** The server of one batching setting. */
  public YardmasterServer server(boolean batching) {
    return batching ? batchingOn : batchingOff;
  }

  /** Where the repositories were written. */
  public Path root() {
    return root;
  }

  /**
   * Unrecorded load on every model of both servers and on echo, so the first measured point does
   * not pay for class loading and JIT compilation.
   */
  public void warmUp(List<String> models, Duration each) {
    messages.printf(Locale.ROOT, "warming up %d models x 2 servers and echo, %d ms each%n",
        models.size(), each.toMillis());
    messages.flush();
    for (String model : models) {
      for (boolean batching : new boolean[] {false, true}) {
        warm(server(batching), CallKind.MODEL_INFER, batchOne(model), each);
      }
    }
    warm(batchingOff, CallKind.ECHO, batchOne(models.get(0)), each);
  }

  private static void warm(
      YardmasterServer server, CallKind call, RequestFactory requests, Duration each) {
    ClosedLoopDriver.create().run(
        LoadSpec.builder(new Target("127.0.0.1", server.grpcPort()), requests)
            .call(call).concurrency(WARM_UP_CONCURRENCY).warmUp(Duration.ZERO).measure(each).build());
  }

  /** Every model at every concurrency, batching off then on; points in that order. */
  public List<SweepPoint> run(SweepPlan plan) {
    List<SweepPoint> points = new ArrayList<>(plan.pointCount());
    int index = 0;
    for (String model : plan.models()) {
      RequestFactory requests = batchOne(model);
      for (int concurrency : plan.concurrencies()) {
        for (boolean batching : new boolean[] {false, true}) {
          index++;
          String label = String.format(Locale.ROOT, "[%d/%d] %s c=%d batching %s",
              index, plan.pointCount(), model, concurrency, batching ? "on" : "off");
          points.add(measure(label, plan, server(batching), CallKind.MODEL_INFER, model, requests,
              concurrency).as(model, batching));
        }
      }
    }
    return points;
  }

  /**
   * Raw in-process ONNX Runtime on one model of the repository at one batch size, with the served
   * session options ({@link RawOrtThroughput}); the servers idle meanwhile.
   */
  public RawPoint raw(String label, String model, int batch, Duration warmUp, Duration measure) {
    messages.print(label + " ... ");
    messages.flush();
    Path modelFile = repository(root, true).resolve(model).resolve("1").resolve("model.onnx");
    RawPoint point = RawOrtThroughput.measure(model, modelFile, options, batch, warmUp, measure);
    messages.printf(Locale.ROOT, "%.0f rows/s%n", point.rowsPerSecond());
    messages.flush();
    return point;
  }

  /**
   * Rounds of one model's paired points ({@link PairedRound}): raw ONNX Runtime at batch 1 and at
   * {@code maxBatch}, then served at {@code concurrency} with batching off and on. Every other
   * round runs each pair in the opposite order, so a machine that speeds up or slows down during a
   * round favours neither side of a ratio. The servers are idle during the raw runs.
   */
  public List<PairedRound> pairedRounds(String model, int concurrency, int maxBatch, int rounds,
      SweepPlan plan, Duration rawWarmUp, Duration rawMeasure) {
    RequestFactory requests = batchOne(model);
    List<PairedRound> result = new ArrayList<>(rounds);
    for (int round = 1; round <= rounds; round++) {
      boolean reversed = round % 2 == 0;
      String prefix = String.format(Locale.ROOT, "[round %d/%d] %s", round, rounds, model);
      RawPoint[] raw = new RawPoint[2];
      for (int batch : reversed ? new int[] {maxBatch, 1} : new int[] {1, maxBatch}) {
        raw[batch == 1 ? 0 : 1] = raw(prefix + " raw batch " + batch, model, batch, rawWarmUp, rawMeasure);
      }
      SweepPoint[] served = offAndOn(prefix, model, requests, concurrency, plan, reversed);
      // the raw point at the batch the server ran, right after it: what serving keeps at that batch
      double executed = served[1].serverBatch();
      int servedBatch = Double.isNaN(executed) ? 0 : (int) Math.max(1, Math.min(maxBatch, Math.round(executed)));
      RawPoint atServedBatch = servedBatch == 0 ? null
          : raw(prefix + " raw batch " + servedBatch + " (the served batch)", model, servedBatch, rawWarmUp,
              rawMeasure);
      result.add(new PairedRound(round, raw[0], raw[1], served[0], served[1], atServedBatch));
    }
    return result;
  }

  /**
   * {@code rounds} rounds of {@code model} served with batching on and the bare echo RPC (with the
   * model's batch-1 request, the same message size) at {@code concurrency}, back to back, every
   * other round in reverse order.
   */
  public List<EchoRound> echoRounds(String model, int concurrency, int rounds, SweepPlan plan) {
    RequestFactory requests = batchOne(model);
    List<EchoRound> result = new ArrayList<>(rounds);
    for (int round = 1; round <= rounds; round++) {
      String prefix = String.format(Locale.ROOT, "[round %d/%d] c=%d", round, rounds, concurrency);
      SweepPoint[] measured = new SweepPoint[2]; // served, echo
      for (boolean echo : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
        measured[echo ? 1 : 0] = echo
            ? measure(prefix + " echo", plan, batchingOff, CallKind.ECHO, null, requests, concurrency)
                .as(ECHO_LABEL, false)
            : measure(prefix + " " + model + " batching on", plan, batchingOn, CallKind.MODEL_INFER, model,
                requests, concurrency).as(model, true);
      }
      result.add(new EchoRound(round, measured[0], measured[1]));
    }
    return result;
  }

  /**
   * {@code rounds} rounds of each model served by one stream (c=1) with batching off and on, back
   * to back, every other round in reverse order; the models take turns within a round.
   */
  public List<LoneStreamRound> loneStreamRounds(List<String> models, int rounds, SweepPlan plan) {
    List<LoneStreamRound> result = new ArrayList<>(rounds * models.size());
    for (int round = 1; round <= rounds; round++) {
      for (String model : models) {
        String prefix = String.format(Locale.ROOT, "[lone round %d/%d] %s", round, rounds, model);
        SweepPoint[] measured = offAndOn(prefix, model, batchOne(model), 1, plan, round % 2 == 0);
        result.add(new LoneStreamRound(round, measured[0], measured[1]));
      }
    }
    return result;
  }

  /** The model at one concurrency with batching off then on ({@code reversed}: on then off). */
  private SweepPoint[] offAndOn(String prefix, String model, RequestFactory requests, int concurrency,
      SweepPlan plan, boolean reversed) {
    SweepPoint[] measured = new SweepPoint[2];
    for (boolean batching : reversed ? new boolean[] {true, false} : new boolean[] {false, true}) {
      String label = String.format(Locale.ROOT, "%s c=%d batching %s", prefix, concurrency, batching ? "on" : "off");
      measured[batching ? 1 : 0] = measure(label, plan, server(batching), CallKind.MODEL_INFER, model, requests,
          concurrency).as(model, batching);
    }
    return measured;
  }

  /**
   * The bare echo RPC on the same server stack at each concurrency, with the batch-1 request of
   * the first model (the same message size).
   */
  public List<SweepPoint> runEcho(SweepPlan plan) {
    RequestFactory requests = batchOne(plan.models().get(0));
    List<SweepPoint> points = new ArrayList<>(plan.concurrencies().size());
    int index = 0;
    for (int concurrency : plan.concurrencies()) {
      index++;
      String label = String.format(Locale.ROOT, "[echo %d/%d] c=%d",
          index, plan.concurrencies().size(), concurrency);
      points.add(measure(label, plan, batchingOff, CallKind.ECHO, null, requests, concurrency)
          .as(ECHO_LABEL, false));
    }
    return points;
  }

  /** A load result, the process CPU per request it took and the server's statistics over it. */
  private record Measured(LoadResult result, double cpuMicrosPerRequest, @Nullable ServerSplit server) {
    SweepPoint as(String model, boolean batching) {
      return new SweepPoint(model, result.concurrency(), batching, result, cpuMicrosPerRequest, server);
    }
  }

  /** One point; {@code model} names whose server statistics to read, null for none (echo). */
  private Measured measure(String label, SweepPlan plan, YardmasterServer server, CallKind call,
      @Nullable String model, RequestFactory requests, int concurrency) {
    messages.print(label + " ... ");
    messages.flush();
    LoadSpec spec = LoadSpec.builder(new Target("127.0.0.1", server.grpcPort()), requests)
        .call(call)
        .concurrency(concurrency)
        .warmUp(plan.warmUp())
        .measure(plan.measure())
        .build();
    ServerStatistics statistics = model == null ? null
        : ServerStatistics.of(server == batchingOn ? statisticsOn : statisticsOff, model, "");
    ServerStatistics.Counters before = statistics == null ? null : statistics.read();
    long cpuStart = ProcessCpuTime.nanos();
    LoadResult result = ClosedLoopDriver.create().run(spec);
    double cpuMicros = ProcessCpuTime.microsPerRequest(cpuStart, ProcessCpuTime.nanos(),
        result.requests() + result.warmUpRequests() + result.abandoned());
    ServerStatistics.Counters after = before == null ? null : statistics.read();
    ServerSplit split = after == null ? null : after.since(before);
    messages.printf(Locale.ROOT, "%.0f inf/s, p50 %.3f ms, p99 %.3f ms, %d errors, cpu %.1f us/req%s%n",
        result.inferencesPerSecond(), result.p50Ms(), result.p99Ms(), result.totalErrors(), cpuMicros,
        split == null ? "" : String.format(Locale.ROOT, ", server batch %.1f", split.batch()));
    messages.flush();
    return new Measured(result, cpuMicros, split);
  }

  /** Batch-1 FP32 requests of the model's input width, a pool of distinct pre-built values. */
  static RequestFactory batchOne(String model) {
    var spec = DemoModels.mlp(model);
    return RequestFactories.randomFp32(model, spec.inputName(), spec.inputWidth(), 1, SEED);
  }

  /** Stops both servers (gracefully) and closes their models. */
  @Override
  public void close() {
    statisticsOn.shutdownNow();
    statisticsOff.shutdownNow();
    try {
      batchingOn.stop();
    } finally {
      batchingOff.stop();
    }
  }
}
