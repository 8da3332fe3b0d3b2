package dev.yardmaster.bench.routing;

import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.PoolSnapshot;
import dev.yardmaster.router.policy.PoolView;
import dev.yardmaster.router.policy.RouteDecision;
import dev.yardmaster.router.policy.RouteRequest;
import dev.yardmaster.router.policy.RouteResult;
import dev.yardmaster.router.policy.RoutingPolicy;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision over 8 pools (3 GPU, 2 Inferentia, 3 CPU, one of them unhealthy, queues
 * partly full), cycling through 16 precomputed requests of every tier, some with deadlines. All
 * inputs are built in {@link #setUp()}; the budget is <= 2 µs and 0 B/op for {@link #routeInto}.
 *
 * <p>{@link #routeInto} is the server's hot path (a caller-owned {@link RouteResult});
 * {@link #routeDecision} returns the {@link RouteDecision} value, to show what the allocation
 * costs. Run with {@code ./yardmaster jmh RoutingBenchmark -prof gc}, or after {@code mvn -pl
 * benchmarks -am -DskipTests package}: {@code java -cp
 * benchmarks/target/yardmaster-benchmarks-0.1.0-SNAPSHOT.jar:$(cat
 * benchmarks/target/classpath.txt) org.openjdk.jmh.Main RoutingBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

  @Param({"cheapest-meeting-sla", "gpu-only", "cpu-only", "round-robin", "least-queue"})
  public String policy;

  private RoutingPolicy routing;
  private PoolSnapshot snapshot;
  private RouteRequest[] requests;
  private final RouteResult result = new RouteResult();
  private int next;

  @Setup
  public void setUp() {
    routing = switch (policy) {
      case "cheapest-meeting-sla" -> RoutingPolicy.cheapestMeetingSla();
      case "gpu-only" -> RoutingPolicy.gpuOnly();
      case "cpu-only" -> RoutingPolicy.cpuOnly();
      case "round-robin" -> RoutingPolicy.roundRobin();
      case "least-queue" -> RoutingPolicy.leastQueue();
      default -> throw new IllegalArgumentException("policy: " + policy + " (expected: a factory name)");
    };
    long now = 1_000_000_000_000L;
    ServiceCurve gpu = ServiceCurve.linear(4_000_000, 125_000, 32, Tier.DEFAULTS);
    ServiceCurve inf = ServiceCurve.linear(2_000_000, 125_000, 16, Tier.DEFAULTS);
    ServiceCurve cpu = ServiceCurve.linear(2_000_000, 1_000_000, 8, Tier.DEFAULTS);
    snapshot = PoolSnapshot.builder(now)
        .add(pool("gpu-a", AcceleratorKind.GPU, 1.006, 2, true, 40, 300_000), gpu)
        .add(pool("gpu-b", AcceleratorKind.GPU, 1.006, 1, true, 0, 250_000), gpu)
        .add(pool("gpu-c", AcceleratorKind.GPU, 1.212, 4, true, 300, 400_000), gpu)
        .add(pool("inf2-a", AcceleratorKind.INFERENTIA, 0.758, 2, true, 120, 350_000), inf)
        .add(pool("inf2-b", AcceleratorKind.INFERENTIA, 0.758, 1, true, 10, 350_000), inf)
        .add(pool("cpu-a", AcceleratorKind.CPU, 0.145, 3, true, 30, 50_000), cpu)
        .add(pool("cpu-b", AcceleratorKind.CPU, 0.145, 1, false, 0, 50_000), cpu)
        .add(pool("cpu-c", AcceleratorKind.CPU, 0.136, 2, true, 70, 60_000), cpu)
        .build();
    requests = new RouteRequest[16];
    for (int i = 0; i < requests.length; i++) {
      Tier tier = Tier.DEFAULTS.get(i % 3);
      RouteRequest request = RouteRequest.of(0, tier, 1 + (i * 5) % 24);
      requests[i] = i % 4 == 0 ? request.withDeadline(now + 5_000_000L * (1 + i % 5)) : request;
    }
  }

  private static PoolView pool(
      String id, AcceleratorKind kind, double price, int replicas, boolean healthy, long queued, long overhead) {
    return new PoolView(id, kind, price, replicas, healthy, queued, replicas * 2, overhead, 0);
  }

  /** The allocation-free hot path: the decision is written into a reused {@link RouteResult}. */
  @Benchmark
  public int routeInto() {
    RouteRequest request = requests[next++ & 15];
    routing.route(request, snapshot, result);
    return result.pool();
  }

  /** The decision as a value; one small record per call unless escape analysis removes it. */
  @Benchmark
  public RouteDecision routeDecision() {
    return routing.route(requests[next++ & 15], snapshot);
  }
}
