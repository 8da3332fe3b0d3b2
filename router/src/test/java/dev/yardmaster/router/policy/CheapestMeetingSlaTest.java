package dev.yardmaster.router.policy;

import static dev.yardmaster.router.policy.Fleet.CPU_POOL;
import static dev.yardmaster.router.policy.Fleet.GPU_POOL;
import static dev.yardmaster.router.policy.Fleet.INF_POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.router.policy.RouteDecision.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cost-aware policy as specified in DESIGN.md "Routing policy", on {@link Fleet}. */
class CheapestMeetingSlaTest {

  private final RoutingPolicy policy = RoutingPolicy.cheapestMeetingSla();
  private static final RouteRequest GOLD_ONE_ROW = RouteRequest.of(0, Tier.GOLD, 1);

  @Test
  void cheapestFeasibleWins() {
    for (Tier tier : Tier.DEFAULTS) {
      assertThat(policy.route(RouteRequest.of(0, tier, 1), Fleet.idle()))
          .isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
    }
  }

  @Test
  void goldStaysWhileTheQueueFitsTheMarginExactly() {
    // 24 rows / 800 rows/s = 30 ms wait + 10 ms at batch 8 = 40 ms = 50 ms x 0.8
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(24));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot))
        .isEqualTo(RouteDecision.to(CPU_POOL, 40_000_000));
  }

  @Test
  void goldMovesOffAPoolWhoseQueueGrows() {
    // 25 rows: 31.25 ms + 10 ms = 41.25 ms > 40 ms; next cheapest is inf2, idle
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(25));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
    // silver's 150 ms budget still fits the cpu pool: 41.25 ms <= 120 ms
    assertThat(policy.route(RouteRequest.of(0, Tier.SILVER, 1), snapshot))
        .isEqualTo(RouteDecision.to(CPU_POOL, 41_250_000));
  }

  @Test
  void goldReturnsWhenQueueDrains() {
    long[] cpuQueue = {0, 200, 30, 0};
    int[] expectedPool = {CPU_POOL, INF_POOL, INF_POOL, CPU_POOL};
    for (int step = 0; step < cpuQueue.length; step++) {
      PoolSnapshot snapshot =
          Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(cpuQueue[step]));
      RouteDecision decision = policy.route(GOLD_ONE_ROW, snapshot);
      assertThat(decision.pool()).as("step %s, cpu queue %s", step, cpuQueue[step])
          .isEqualTo(expectedPool[step]);
      assertThat(decision.reason()).isEqualTo(Reason.CHEAPEST_FEASIBLE);
    }
  }

  @Test
  void moreReplicasDrainFaster() {
    // 50 rows over 2 replicas: 50 / 1600 rows/s = 31.25 ms, + 10 ms at batch 8 (1 + 25 capped)
    PoolView cpu = new PoolView("cpu-local", AcceleratorKind.CPU, 0.145, 2, true, 50, 0, 0, 0);
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpu)))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
    PoolView cpuWithFewerQueued = cpu.withQueuedRows(40); // 25 ms + 10 ms = 35 ms
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpuWithFewerQueued)))
        .isEqualTo(RouteDecision.to(CPU_POOL, 35_000_000));
  }

  @Test
  void bronzeShedFirstWhenAllOverBudget() {
    RoutingPolicy shedsAt100ms =
        RoutingPolicy.cheapestMeetingSla(RoutingConfig.defaults().withMaxQueueDelayNanos(100_000_000));
    PoolSnapshot overloaded = Fleet.overloaded(true, true);
    assertThat(shedsAt100ms.route(RouteRequest.of(0, Tier.BRONZE, 1), overloaded))
        .isEqualTo(RouteDecision.shed());
    // gold and silver are still served, by the fastest pool: inf2 125 ms + 4 ms at batch 16
    assertThat(shedsAt100ms.route(GOLD_ONE_ROW, overloaded))
        .isEqualTo(RouteDecision.fallback(INF_POOL, 129_000_000));
    assertThat(shedsAt100ms.route(RouteRequest.of(0, Tier.SILVER, 1), overloaded))
        .isEqualTo(RouteDecision.fallback(INF_POOL, 129_000_000));
    // with the default 1 s max queue delay, bronze is queued on the cheapest pool instead
    assertThat(policy.route(RouteRequest.of(0, Tier.BRONZE, 1), overloaded))
        .isEqualTo(RouteDecision.to(CPU_POOL, 135_000_000));
  }

  @Test
  void bronzeIsNotShedWhileOnePoolHasRoom() {
    RoutingPolicy shedsAt100ms =
        RoutingPolicy.cheapestMeetingSla(RoutingConfig.defaults().withMaxQueueDelayNanos(100_000_000));
    PoolSnapshot snapshot = Fleet.snapshot(
        Fleet.gpu().withQueuedRows(500), Fleet.inf(), Fleet.cpu().withQueuedRows(100));
    assertThat(shedsAt100ms.route(RouteRequest.of(0, Tier.BRONZE, 1), snapshot))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
  }

  @Test
  void fallbackOrderGpuInferentiaCpu() {
    // nobody can make a 20 ms deadline when every queue waits 125 ms
    RouteRequest gold = GOLD_ONE_ROW.withDeadline(20_000_000);
    assertThat(policy.route(gold, Fleet.overloaded(true, true)))
        .isEqualTo(RouteDecision.fallback(GPU_POOL, 133_000_000));
    assertThat(policy.route(gold, Fleet.overloaded(false, true)))
        .isEqualTo(RouteDecision.fallback(INF_POOL, 129_000_000));
    assertThat(policy.route(gold, Fleet.overloaded(false, false)))
        .isEqualTo(RouteDecision.fallback(CPU_POOL, 135_000_000));
  }

  @Test
  void fallbackOrderComesFromConfig() {
    RoutingPolicy cpuFirst = RoutingPolicy.cheapestMeetingSla(
        RoutingConfig.defaults().withFallbackOrder(List.of(AcceleratorKind.CPU, AcceleratorKind.GPU)));
    assertThat(cpuFirst.route(GOLD_ONE_ROW.withDeadline(20_000_000), Fleet.overloaded(true, true)))
        .isEqualTo(RouteDecision.fallback(CPU_POOL, 135_000_000));
  }

  @Test
  void deadlineRespected() {
    long now = 7_000_000_000L;
    PoolSnapshot snapshot = Fleet.builder(now, Fleet.gpu(), Fleet.inf(), Fleet.cpu()).build();
    RouteRequest fourRows = RouteRequest.of(0, Tier.GOLD, 4);
    // cpu: 6 ms at batch 4 fits gold's 40 ms ...
    assertThat(policy.route(fourRows, snapshot)).isEqualTo(RouteDecision.to(CPU_POOL, 6_000_000));
    // ... but not 5 ms left to the deadline; inf2 does it in 2.5 ms
    assertThat(policy.route(fourRows.withDeadline(now + 5_000_000), snapshot))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_500_000));
    // 6 ms left: the cpu pool again
    assertThat(policy.route(fourRows.withDeadline(now + 6_000_000), snapshot))
        .isEqualTo(RouteDecision.to(CPU_POOL, 6_000_000));
  }

  @Test
  void pinnedPoolWins() {
    assertThat(policy.route(GOLD_ONE_ROW.pinnedTo(GPU_POOL), Fleet.idle()))
        .isEqualTo(RouteDecision.pinned(GPU_POOL, 4_125_000));
    // honoured even when the pool is unhealthy: pinning is for debugging that pool
    PoolSnapshot gpuDown = Fleet.snapshot(Fleet.gpu().withHealthy(false), Fleet.inf(), Fleet.cpu());
    assertThat(policy.route(GOLD_ONE_ROW.pinnedTo(GPU_POOL), gpuDown))
        .isEqualTo(RouteDecision.pinned(GPU_POOL, RouteDecision.UNKNOWN_LATENCY));
  }

  @Test
  void pinningAnUnknownPoolIsAnError() {
    assertThatThrownBy(() -> policy.route(GOLD_ONE_ROW.pinnedTo(3), Fleet.idle()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pinnedPool: 3 (expected: < 3, the pool count)");
    assertThat(Fleet.idle().indexOf("gpu-a100")).isEqualTo(-1);
    assertThat(Fleet.idle().indexOf("inf2")).isEqualTo(INF_POOL);
  }

  @Test
  void poolWithoutProfileOnlyFallback() {
    // a cheaper cpu pool with no profile for the model is never chosen while a profiled one fits
    PoolView spot = PoolView.idle("cpu-spot", AcceleratorKind.CPU, 0.01, 1);
    PoolSnapshot withSpot = Fleet.builder(0, Fleet.gpu(), Fleet.inf(), Fleet.cpu()).add(spot).build();
    assertThat(policy.route(GOLD_ONE_ROW, withSpot)).isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
    // when no profiled pool is available, it is the fallback
    PoolSnapshot onlySpot = Fleet.builder(0,
            Fleet.gpu().withHealthy(false), Fleet.inf().withHealthy(false), Fleet.cpu().withHealthy(false))
        .add(spot)
        .build();
    for (Tier tier : Tier.DEFAULTS) {
      assertThat(policy.route(RouteRequest.of(0, tier, 1), onlySpot))
          .isEqualTo(RouteDecision.fallback(3, RouteDecision.UNKNOWN_LATENCY));
    }
  }

  @Test
  void tiesGoToTheLowerPredictedLatency() {
    PoolSnapshot twins = PoolSnapshot.builder(0)
        .add(Fleet.cpu().withQueuedRows(8), Fleet.CPU_CURVE) // 10 ms wait + 10 ms at batch 8
        .add(PoolView.idle("cpu-b", AcceleratorKind.CPU, 0.145, 1), Fleet.CPU_CURVE)
        .build();
    assertThat(policy.route(GOLD_ONE_ROW, twins)).isEqualTo(RouteDecision.to(1, 3_000_000));
  }

  @Test
  void overheadAndResidualAreAdded() {
    PoolView cpu = Fleet.cpu().withOverhead(1_000_000, 500_000);
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpu)))
        .isEqualTo(RouteDecision.to(CPU_POOL, 4_500_000));
  }

  @Test
  void residualCorrectionMovesGoldOffAnOptimisticProfile() {
    // observed latencies run 38 ms above the profile: 3 + 38 = 41 ms > 40 ms
    PoolView cpu = Fleet.cpu().withOverhead(0, 38_000_000);
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpu)))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
  }

  @Test
  void rowsBeyondMaxBatchRunAsSeveralBatches() {
    // 20 rows on cpu: 3 batches of 8 at 10 ms = 30 ms; on inf2: 2 batches of 16 at 4 ms = 8 ms
    assertThat(Fleet.idle().predictedLatencyNanos(CPU_POOL, 0, 20)).isEqualTo(30_000_000.0);
    assertThat(Fleet.idle().predictedLatencyNanos(INF_POOL, 0, 20)).isEqualTo(8_000_000.0);
    assertThat(policy.route(RouteRequest.of(0, Tier.GOLD, 20), Fleet.idle()))
        .isEqualTo(RouteDecision.to(CPU_POOL, 30_000_000));
  }

  @Test
  void costPerInferenceRanksTheHardware() {
    PoolSnapshot idle = Fleet.idle();
    assertThat(idle.costPerInference(CPU_POOL, 0, Tier.GOLD)).isCloseTo(0.145 / 3600 / 800, within());
    assertThat(idle.costPerInference(INF_POOL, 0, Tier.GOLD)).isCloseTo(0.758 / 3600 / 4000, within());
    assertThat(idle.costPerInference(GPU_POOL, 0, Tier.GOLD)).isCloseTo(1.006 / 3600 / 4000, within());
  }

  @Test
  void writesIntoACallerOwnedResult() {
    RouteResult result = new RouteResult();
    policy.route(GOLD_ONE_ROW, Fleet.idle(), result);
    assertThat(result.pool()).isEqualTo(CPU_POOL);
    assertThat(result.reason()).isEqualTo(Reason.CHEAPEST_FEASIBLE);
    assertThat(result.predictedLatencyNanos()).isEqualTo(3_000_000);
    assertThat(result.reason().label()).isEqualTo("cheapest_feasible");
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> RoutingConfig.defaults().withSafetyMargin(1.5))
        .hasMessage("safety_margin: 1.5 (expected: > 0 and <= 1)");
    assertThatThrownBy(() -> RoutingConfig.defaults().withFallbackOrder(
            List.of(AcceleratorKind.GPU, AcceleratorKind.GPU)))
        .hasMessage("fallback: [GPU, GPU] (expected: each of gpu, inferentia, cpu at most once)");
    assertThatThrownBy(() -> RoutingConfig.defaults().withMaxQueueDelayNanos(0))
        .hasMessage("max_queue_delay_nanos: 0 (expected: > 0)");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-15);
  }
}
