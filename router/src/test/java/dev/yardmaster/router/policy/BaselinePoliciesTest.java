package dev.yardmaster.router.policy;

import static dev.yardmaster.router.policy.Fleet.CPU_POOL;
import static dev.yardmaster.router.policy.Fleet.GPU_POOL;
import static dev.yardmaster.router.policy.Fleet.INF_POOL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.policy.RouteDecision.Reason;
import org.junit.jupiter.api.Test;

/** The simulator's baselines do what their names say, and nothing cleverer. */
class BaselinePoliciesTest {

  private static final RouteRequest GOLD = RouteRequest.of(0, Tier.GOLD, 1);

  @Test
  void gpuOnlyUsesTheLeastLoadedGpuPool() {
    PoolSnapshot twoGpus = PoolSnapshot.builder(0)
        .add(Fleet.gpu().withQueuedRows(10), Fleet.GPU_CURVE)
        .add(Fleet.cpu(), Fleet.CPU_CURVE)
        .add(PoolView.idle("gpu-b", AcceleratorKind.GPU, 1.006, 1), Fleet.GPU_CURVE)
        .build();
    RoutingPolicy gpuOnly = RoutingPolicy.gpuOnly();
    assertThat(gpuOnly.name()).isEqualTo("gpu-only");
    assertThat(gpuOnly.route(GOLD, twoGpus)).isEqualTo(new RouteDecision(2, Reason.BASELINE, 4_125_000));
    assertThat(gpuOnly.route(GOLD, Fleet.idle()))
        .isEqualTo(new RouteDecision(GPU_POOL, Reason.BASELINE, 4_125_000));
  }

  @Test
  void gpuOnlyShedsWithoutAGpu() {
    PoolSnapshot gpuDown = Fleet.snapshot(Fleet.gpu().withHealthy(false), Fleet.inf(), Fleet.cpu());
    assertThat(RoutingPolicy.gpuOnly().route(GOLD, gpuDown)).isEqualTo(RouteDecision.shed());
  }

  @Test
  void cpuOnlyUsesTheCpuPoolEvenWhenItBreaksTheSla() {
    PoolSnapshot cpuBusy = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(100));
    assertThat(RoutingPolicy.cpuOnly().route(GOLD, cpuBusy))
        .isEqualTo(new RouteDecision(CPU_POOL, Reason.BASELINE, 135_000_000));
  }

  @Test
  void leastQueueCountsQueuedAndInFlightRowsPerReplica() {
    PoolSnapshot snapshot = Fleet.snapshot(
        Fleet.gpu().withQueuedRows(4),
        new PoolView("inf2", AcceleratorKind.INFERENTIA, 0.758, 2, true, 4, 2, 0, 0), // 3 per replica
        Fleet.cpu().withQueuedRows(5));
    assertThat(RoutingPolicy.leastQueue().route(GOLD, snapshot).pool()).isEqualTo(INF_POOL);
  }

  @Test
  void roundRobinTakesAvailablePoolsInTurn() {
    RoutingPolicy roundRobin = RoutingPolicy.roundRobin();
    PoolSnapshot infDown = Fleet.snapshot(Fleet.gpu(), Fleet.inf().withHealthy(false), Fleet.cpu());
    int[] pools = new int[4];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = roundRobin.route(GOLD, infDown).pool();
    }
    // turn 1 lands on the unhealthy inf2 and moves on to the cpu pool
    assertThat(pools).containsExactly(GPU_POOL, CPU_POOL, CPU_POOL, GPU_POOL);
  }

  @Test
  void baselinesHonourPins() {
    for (RoutingPolicy policy : new RoutingPolicy[] {
        RoutingPolicy.gpuOnly(), RoutingPolicy.cpuOnly(), RoutingPolicy.roundRobin(), RoutingPolicy.leastQueue()}) {
      assertThat(policy.route(GOLD.pinnedTo(INF_POOL), Fleet.idle()))
          .as(policy.name())
          .isEqualTo(RouteDecision.pinned(INF_POOL, 2_125_000));
    }
  }
}
