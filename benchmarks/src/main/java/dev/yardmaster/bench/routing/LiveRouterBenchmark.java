package dev.yardmaster.bench.routing;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import dev.yardmaster.router.config.HealthCheckConfig;
import dev.yardmaster.router.config.ModelRouting;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RouteRequest;
import dev.yardmaster.router.policy.RouteResult;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's whole routing decision over 8 live pools (3 GPU, 2 Inferentia, 3 CPU, each a real
 * {@link dev.yardmaster.router.pool.Pool} with a health-checked endpoint on a loopback backend):
 * {@link LiveRouter#decide} reads each pool's live counts (healthy endpoints, rows and requests in
 * flight, learned residual) into the thread's reused snapshot, picks the model's profiled curves
 * and runs the cost-aware policy into the thread's result; what {@code infer} does before it
 * forwards. Cycles through 16 requests of every tier and batch size, some with deadlines, with 2
 * and with 32 profiled models in the config ({@link #models}), to show the cost does not grow with
 * the models the router knows. The pools are idle (no load runs), which the decision's work does
 * not depend on. Budget: <= 2 µs and 0 B/op ({@code gc.alloc.rate.norm}; JMH counts every thread,
 * so the pools' health checks, one a second per pool, show as a fraction of a byte). Run with {@code ./yardmaster jmh LiveRouterBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LiveRouterBenchmark {

  private static final String[] POOLS = {"gpu-a", "gpu-b", "gpu-c", "inf2-a", "inf2-b", "cpu-a", "cpu-b", "cpu-c"};

  /** Models in the config (each profiled on every pool); requests are for the first. */
  @Param({"2", "32"})
  public int models;

  private Server backend;
  private Pools pools;
  private LiveRouter router;
  private final Tier[] tiers = new Tier[16];
  private final int[] rows = new int[16];
  private final long[] deadlineOffsets = new long[16];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    backend = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new ReadyBackend()).build().start();
    String endpoint = "127.0.0.1:" + backend.getPort();
    List<PoolConfig> poolConfigs = new ArrayList<>();
    for (String pool : POOLS) {
      poolConfigs.add(PoolConfig.of(pool, kind(pool), price(pool), List.of(endpoint))
          .withHealthCheck(new HealthCheckConfig(1000, 1000, 1, 3, List.of())));
    }
    List<ModelRouting> routed = new ArrayList<>();
    for (int m = 0; m < models; m++) {
      List<ProfileEntry> entries = new ArrayList<>();
      for (String pool : POOLS) {
        entries.add(entry(pool));
      }
      String name = m == 0 ? "higgs" : "model-" + m;
      routed.add(new ModelRouting(name, Path.of(name + ".json"),
          new Profile(1, name, null, Profile.DEFAULT_TIERS, 0, entries)));
    }
    RouterConfig config = new RouterConfig(0, 0, 10_000, poolConfigs).withModels(routed);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    pools = new Pools(registry, System::nanoTime);
    pools.apply(config);
    router = new LiveRouter(registry, config, pools);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pools.all().stream().anyMatch(p -> p.healthyEndpoints() == 0)) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("pools: not all healthy after 10 s (expected: the loopback backend ready)");
      }
      Thread.sleep(10);
    }
    for (int i = 0; i < 16; i++) {
      tiers[i] = Tier.DEFAULTS.get(i % 3);
      rows[i] = 1 + (i * 5) % 24;
      deadlineOffsets[i] = i % 4 == 0 ? 5_000_000L * (1 + i % 5) : -1;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pools.close();
    backend.shutdownNow();
  }

  /** One decision: snapshot of the live pools + policy + result; what infer does before forwarding. */
  @Benchmark
  public int decide() {
    int i = next++ & 15;
    long deadline = deadlineOffsets[i] < 0 ? RouteRequest.NO_DEADLINE : System.nanoTime() + deadlineOffsets[i];
    RouteResult result = router.decide("higgs", tiers[i], rows[i], deadline, null);
    return result.pool();
  }

  private static AcceleratorKind kind(String pool) {
    return pool.startsWith("gpu") ? AcceleratorKind.GPU
        : pool.startsWith("inf2") ? AcceleratorKind.INFERENTIA : AcceleratorKind.CPU;
  }

  private static double price(String pool) {
    return switch (kind(pool)) {
      case GPU -> 1.006;
      case INFERENTIA -> 0.758;
      case CPU -> 0.145;
    };
  }

  /** A measured-looking grid: batches 1..32, latency linear in the batch, per accelerator. */
  private static ProfileEntry entry(String pool) {
    double interceptMs = switch (kind(pool)) {
      case GPU -> 1.5;
      case INFERENTIA -> 2.0;
      case CPU -> 0.4;
    };
    double perRowMs = switch (kind(pool)) {
      case GPU -> 0.02;
      case INFERENTIA -> 0.03;
      case CPU -> 0.35;
    };
    List<GridPoint> grid = new ArrayList<>();
    for (int batch : new int[] {1, 2, 4, 8, 16, 32}) {
      double ms = interceptMs + perRowMs * batch;
      grid.add(new GridPoint(batch, 1, batch * 1000 / ms, ms, ms, ms, ms, 0));
    }
    return new ProfileEntry("1", "kserve", pool, "bench", kind(pool).name().toLowerCase(java.util.Locale.ROOT),
        price(pool), grid, null);
  }

  /** Answers ServerReady, so the pools' health checks find their endpoint healthy. */
  private static final class ReadyBackend extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
      out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }
  }
}
