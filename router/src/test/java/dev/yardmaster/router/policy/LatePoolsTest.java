package dev.yardmaster.router.policy;

import static dev.yardmaster.router.policy.Fleet.CPU_POOL;
import static dev.yardmaster.router.policy.Fleet.GPU_POOL;
import static dev.yardmaster.router.policy.Fleet.INF_POOL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The cost-aware policy with a pool's tail lateness (how late the tier's recent answers came
 * against their predictions) on {@link Fleet}: a budgeted tier needs the prediction within the
 * budget x margin (gold: 40 ms) and the prediction plus the lateness within the budget itself
 * (gold: 50 ms); the decision still carries the plain prediction, which the router's feedback
 * compares with.
 */
class LatePoolsTest {

  private final RoutingPolicy policy = RoutingPolicy.cheapestMeetingSla();
  private static final RouteRequest GOLD_ONE_ROW = RouteRequest.of(0, Tier.GOLD, 1);
  private static final RouteRequest SILVER_ONE_ROW = RouteRequest.of(0, Tier.SILVER, 1);
  private static final RouteRequest BRONZE_ONE_ROW = RouteRequest.of(0, Tier.BRONZE, 1);

  @Test
  void goldLeavesAPoolWhoseRecentAnswersMissTheBudget() {
    // cpu: 3 ms predicted + 47.5 ms late at the tail = 50.5 ms > 50 ms; inf2 is next cheapest
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withTailLateness(47_500_000));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot)).isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
    // silver's 150 ms still holds 50.5 ms: it stays, with the plain 3 ms prediction
    assertThat(policy.route(SILVER_ONE_ROW, snapshot)).isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
  }

  @Test
  void goldStaysWhileTheTailFitsTheBudgetExactly() {
    // 3 ms + 47 ms = 50 ms: the margin (40 ms) is for the prediction, whose error is now measured
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withTailLateness(47_000_000));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot)).isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
  }

  @Test
  void latenessAddsToTheQueueWait() {
    // 16 rows queued: 20 ms wait + 10 ms at batch 8 = 30 ms; + 21 ms late = 51 ms > 50 ms
    PoolView cpu = Fleet.cpu().withQueuedRows(16);
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpu.withTailLateness(20_000_000))))
        .isEqualTo(RouteDecision.to(CPU_POOL, 30_000_000));
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), cpu.withTailLateness(21_000_000))))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
  }

  @Test
  void latenessDoesNotWidenTheMargin() {
    // 25 rows queued: 31.25 ms wait + 10 ms = 41.25 ms > 40 ms: no lateness widens the margin
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withQueuedRows(25))))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
  }

  @Test
  void bestEffortHoldsItsQueueWaitPlusLatenessToTheMaxQueueDelay() {
    // bronze has no budget, but its wait is held to the 1 s max queue delay: 0 queued + 0.9 s late fits
    PoolSnapshot late = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withTailLateness(900_000_000));
    assertThat(policy.route(BRONZE_ONE_ROW, late)).isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
    // 400 rows queued on the cpu pool: 0.5 s predicted wait + 0.6 s late > 1 s: the cpu pool drains
    // slower than its profile, so bronze goes to the next cheapest pool instead of queueing past the delay
    PoolView slowCpu = Fleet.cpu().withQueuedRows(400);
    assertThat(policy.route(BRONZE_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), slowCpu)).pool())
        .isEqualTo(CPU_POOL);
    assertThat(policy.route(BRONZE_ONE_ROW,
        Fleet.snapshot(Fleet.gpu(), Fleet.inf(), slowCpu.withTailLateness(600_000_000))).pool()).isEqualTo(INF_POOL);
  }

  @Test
  void bestEffortIsShedWhenEveryPoolIsLaterThanTheMaxQueueDelay() {
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu().withTailLateness(1_100_000_000),
        Fleet.inf().withTailLateness(1_100_000_000), Fleet.cpu().withTailLateness(1_100_000_000));
    assertThat(policy.route(BRONZE_ONE_ROW, snapshot)).isEqualTo(RouteDecision.shed());
  }

  @Test
  void goldSkipsEveryLatePoolForTheCheapestOnTimeOne() {
    // cpu (3 + 50 ms) and inf2 (2.125 + 50 ms) both late: gold pays for the gpu
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf().withTailLateness(50_000_000),
        Fleet.cpu().withTailLateness(50_000_000));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot)).isEqualTo(RouteDecision.to(GPU_POOL, 4_125_000));
  }

  @Test
  void whenEveryPoolIsLateGoldTakesTheLowestPredictedTail() {
    // gpu 4.125 + 60 = 64.125 ms, inf2 2.125 + 70 = 72.125 ms, cpu 3 + 50 = 53 ms: none fits 50 ms;
    // the cpu pool is late by the least, and the decision carries its plain prediction
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu().withTailLateness(60_000_000),
        Fleet.inf().withTailLateness(70_000_000), Fleet.cpu().withTailLateness(50_000_000));
    assertThat(policy.route(GOLD_ONE_ROW, snapshot)).isEqualTo(RouteDecision.fallback(CPU_POOL, 3_000_000));
  }

  @Test
  void latenessCountsAgainstTheDeadline() {
    long now = 7_000_000_000L;
    PoolView cpu = Fleet.cpu().withTailLateness(6_000_000);
    PoolSnapshot snapshot = Fleet.builder(now, Fleet.gpu(), Fleet.inf(), cpu).build();
    // cpu 3 + 6 = 9 ms fits 10 ms left, not 8 ms; inf2 (2.125 ms) does
    assertThat(policy.route(GOLD_ONE_ROW.withDeadline(now + 10_000_000), snapshot))
        .isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
    assertThat(policy.route(GOLD_ONE_ROW.withDeadline(now + 8_000_000), snapshot))
        .isEqualTo(RouteDecision.to(INF_POOL, 2_125_000));
  }

  @Test
  void poolComesBackAfterItRecovers() {
    PoolView late = Fleet.cpu().withTailLateness(48_000_000);
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), late)).pool()).isEqualTo(INF_POOL);
    // its recent answers came on time again (or none is recent any more): 0 lateness
    assertThat(policy.route(GOLD_ONE_ROW, Fleet.snapshot(Fleet.gpu(), Fleet.inf(), late.withTailLateness(0))))
        .isEqualTo(RouteDecision.to(CPU_POOL, 3_000_000));
  }

  @Test
  void earlyAnswersDoNotMakeAPoolLookFaster() {
    PoolSnapshot snapshot = Fleet.snapshot(Fleet.gpu(), Fleet.inf(), Fleet.cpu().withTailLateness(-20_000_000));
    assertThat(snapshot.tailLatenessNanos(CPU_POOL)).isZero();
    assertThat(snapshot.pool(CPU_POOL).tailLatenessNanos()).isZero();
  }
}
