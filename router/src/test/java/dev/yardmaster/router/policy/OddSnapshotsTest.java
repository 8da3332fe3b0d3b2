package dev.yardmaster.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No policy throws on a snapshot the real world can produce; odd pools are never "feasible". */
class OddSnapshotsTest {

  static List<Supplier<RoutingPolicy>> policies() {
    return List.of(
        RoutingPolicy::cheapestMeetingSla,
        RoutingPolicy::gpuOnly,
        RoutingPolicy::cpuOnly,
        RoutingPolicy::roundRobin,
        RoutingPolicy::leastQueue);
  }

  static List<Arguments> oddSnapshots() {
    ServiceCurve tooSlowForGold = ServiceCurve.linear(900_000_000, 1, 4, Tier.DEFAULTS);
    List<Arguments> snapshots = new ArrayList<>();
    snapshots.add(Arguments.of("no pools", PoolSnapshot.empty(0)));
    snapshots.add(Arguments.of("all unhealthy", Fleet.snapshot(
        Fleet.gpu().withHealthy(false), Fleet.inf().withHealthy(false), Fleet.cpu().withHealthy(false))));
    snapshots.add(Arguments.of("zero replicas", PoolSnapshot.builder(0)
        .add(new PoolView("gpu", AcceleratorKind.GPU, 1.0, 0, true, 100, 0, 0, 0), Fleet.GPU_CURVE).build()));
    snapshots.add(Arguments.of("negative replicas", PoolSnapshot.builder(0)
        .add(new PoolView("gpu", AcceleratorKind.GPU, 1.0, -3, true, 0, 0, 0, 0), Fleet.GPU_CURVE).build()));
    snapshots.add(Arguments.of("NaN price", PoolSnapshot.builder(0)
        .add(PoolView.idle("cpu", AcceleratorKind.CPU, Double.NaN, 1), Fleet.CPU_CURVE).build()));
    snapshots.add(Arguments.of("negative and infinite prices", PoolSnapshot.builder(0)
        .add(PoolView.idle("cpu", AcceleratorKind.CPU, -1, 1), Fleet.CPU_CURVE)
        .add(PoolView.idle("gpu", AcceleratorKind.GPU, Double.POSITIVE_INFINITY, 1), Fleet.GPU_CURVE).build()));
    snapshots.add(Arguments.of("zero throughput within budget", PoolSnapshot.builder(0)
        .add(Fleet.cpu(), tooSlowForGold).build()));
    snapshots.add(Arguments.of("no curves at all", PoolSnapshot.builder(0)
        .add(Fleet.gpu()).add(Fleet.cpu()).build()));
    snapshots.add(Arguments.of("extreme counters", PoolSnapshot.builder(Long.MIN_VALUE)
        .add(new PoolView("gpu", AcceleratorKind.GPU, 1.0, 1, true, Long.MAX_VALUE, Integer.MAX_VALUE,
            Long.MAX_VALUE, Long.MAX_VALUE), Fleet.GPU_CURVE)
        .add(new PoolView("cpu", AcceleratorKind.CPU, 0.1, Integer.MAX_VALUE, true, Long.MIN_VALUE,
            Integer.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE), Fleet.CPU_CURVE)
        .build()));
    List<Arguments> matrix = new ArrayList<>();
    for (Supplier<RoutingPolicy> policy : policies()) {
      for (Arguments snapshot : snapshots) {
        Object[] args = snapshot.get();
        matrix.add(Arguments.of(policy.get().name(), args[0], policy, args[1]));
      }
    }
    return matrix;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("oddSnapshots")
  void oddSnapshotsNeverThrow(
      String policyName, String snapshotName, Supplier<RoutingPolicy> policy, PoolSnapshot snapshot) {
    RoutingPolicy routing = policy.get();
    long[] deadlines = {RouteRequest.NO_DEADLINE, Long.MIN_VALUE, 0, 1_000_000};
    int[] models = {0, 5};
    for (Tier tier : Tier.DEFAULTS) {
      for (long deadline : deadlines) {
        for (int model : models) {
          for (int rows : new int[] {1, 1_000_000}) {
            RouteDecision decision =
                routing.route(new RouteRequest(model, tier, rows, deadline, RouteRequest.NOT_PINNED), snapshot);
            if (decision.isShed()) {
              assertThat(decision.pool()).isEqualTo(RouteDecision.NO_POOL);
            } else {
              assertThat(decision.pool()).isBetween(0, snapshot.size() - 1);
              assertThat(snapshot.isAvailable(decision.pool())).isTrue();
            }
            assertThat(decision.predictedLatencyNanos()).isGreaterThanOrEqualTo(RouteDecision.UNKNOWN_LATENCY);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("oddSnapshots")
  void emptyAndUnavailableFleetsShed(
      String policyName, String snapshotName, Supplier<RoutingPolicy> policy, PoolSnapshot snapshot) {
    boolean anyAvailable = false;
    for (int p = 0; p < snapshot.size(); p++) {
      anyAvailable |= snapshot.isAvailable(p);
    }
    if (!anyAvailable) {
      assertThat(policy.get().route(RouteRequest.of(0, Tier.GOLD, 1), snapshot)).isEqualTo(RouteDecision.shed());
    }
  }
}
