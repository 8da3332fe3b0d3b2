package dev.yardmaster.router.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's per-thread snapshot, rewritten in place, routes exactly as a built one with the
 * same facts, and a rewrite leaves nothing of the previous request behind.
 */
class ReusableSnapshotTest {

  private static final List<RoutingPolicy> POLICIES = List.of(RoutingPolicy.cheapestMeetingSla(),
      RoutingPolicy.gpuOnly(), RoutingPolicy.cpuOnly(), RoutingPolicy.leastQueue());

  @Test
  void routesAsABuiltSnapshotWithTheSameFacts() {
    PoolSnapshot.Reusable reusable = new PoolSnapshot.Reusable(3);
    for (long cpuQueue : new long[] {0, 30, 100, 0}) { // gold moves off the cpu pool and back
      PoolView gpu = Fleet.gpu().withOverhead(0, 300_000);
      PoolView inf = Fleet.inf().withHealthy(cpuQueue != 100);
      PoolView cpu = Fleet.cpu().withQueuedRows(cpuQueue);
      PoolSnapshot built = Fleet.snapshot(gpu, inf, cpu);
      PoolSnapshot rewritten = fill(reusable, gpu, inf, cpu);
      for (Tier tier : Tier.DEFAULTS) {
        for (int rows : new int[] {1, 7, 40}) {
          assertThat(rewritten.predictedLatencyNanos(2, 0, rows)).isEqualTo(built.predictedLatencyNanos(2, 0, rows));
          assertThat(rewritten.costPerInference(0, 0, tier)).isEqualTo(built.costPerInference(0, 0, tier));
          for (RoutingPolicy policy : POLICIES) {
            RouteRequest request = RouteRequest.of(0, tier, rows);
            assertThat(policy.route(request, rewritten)).as("%s %s %d rows, cpu queue %d", policy, tier, rows, cpuQueue)
                .isEqualTo(policy.route(request, built));
          }
        }
      }
      assertThat(rewritten.pool(1)).isEqualTo(inf);
    }
  }

  @Test
  void theFieldFormOfRouteDecidesAsTheRequestForm() {
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(60));
    RoutingPolicy policy = RoutingPolicy.cheapestMeetingSla();
    RouteRequest request = RouteRequest.of(0, Tier.GOLD, 3).withDeadline(20_000_000);
    RouteResult fields = new RouteResult();
    policy.route(0, Tier.GOLD, 3, 20_000_000, RouteRequest.NOT_PINNED, snapshot, fields);
    assertThat(fields.toDecision()).isEqualTo(policy.route(request, snapshot));
    assertThat(fields.reason()).isEqualTo(RouteDecision.Reason.CHEAPEST_FEASIBLE);
    policy.route(0, Tier.GOLD, 3, 20_000_000, Fleet.CPU_POOL, snapshot, fields);
    assertThat(fields.toDecision()).isEqualTo(policy.route(request.pinnedTo(Fleet.CPU_POOL), snapshot));
    assertThat(fields.reason()).isEqualTo(RouteDecision.Reason.PINNED);
  }

  private static PoolSnapshot fill(PoolSnapshot.Reusable reusable, PoolView... views) {
    reusable.begin(0);
    ServiceCurve[] curves = {Fleet.GPU_CURVE, Fleet.INF_CURVE, Fleet.CPU_CURVE};
    for (int p = 0; p < views.length; p++) {
      PoolView v = views[p];
      reusable.set(p, v.id(), v.accelerator(), v.pricePerHour(), v.replicas(), v.healthy(), v.queuedRows(),
          v.inFlight(), v.overheadNanos(), v.residualNanos(), v.tailLatenessNanos(), curves[p]);
    }
    return reusable.snapshot();
  }
}
