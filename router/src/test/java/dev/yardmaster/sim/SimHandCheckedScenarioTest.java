package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.policy.RoutingConfig;
import dev.yardmaster.router.policy.RoutingPolicy;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One CPU pool with one replica, latency(b) = 1 ms + 0.5 ms x b up to batch 4, max queue delay
 * 2 ms, and six hand-placed requests: every latency below is worked out by hand in the comments.
 */
class SimHandCheckedScenarioTest {

  private static final long MS = 1_000_000L;
  private static final int GOLD = 0;
  private static final int BRONZE = 2;

  static Scenario onePool(int replicas) {
    PoolSpec cpu = new PoolSpec("cpu", AcceleratorKind.CPU, "c7g.xlarge", 0.36,
        ServiceCurve.linear(MS, MS / 2, 4, Tier.DEFAULTS), 2 * MS, replicas, replicas);
    return new Scenario("hand", "m", Tier.DEFAULTS, List.of(cpu), RoutingConfig.defaults(),
        SlaTargets.DEFAULT, (seed, duration) -> handTrace(), 20 * MS);
  }

  static Trace handTrace() {
    long[] at = {0, 1 * MS, 3 * MS, 3 * MS + MS / 2, 8 * MS, 8 * MS + MS / 5};
    byte[] tiers = {GOLD, GOLD, GOLD, BRONZE, BRONZE, GOLD};
    int[] rows = {1, 1, 4, 1, 1, 1};
    return new Trace("hand", 20 * MS, at, tiers, rows);
  }

  private static Map<Integer, Long> latencies(RoutingPolicy policy) {
    Scenario scenario = onePool(1);
    Map<Integer, Long> latency = new TreeMap<>();
    RunResult result = new Simulation(scenario, scenario.trace(0), policy, Fleet.of(1), false)
        .onCompletion((request, pool, nanos) -> latency.put(request, nanos))
        .run();
    assertThat(result.shedTotal()).isZero();
    assertThat(result.batches[0]).isEqualTo(4);
    return latency;
  }

  @Test
  void batchesByQueueDelayFullBatchAndPriority() {
    Map<Integer, Long> latency = latencies(RoutingPolicy.cheapestMeetingSla());
    // 0: idle replica waits for a fuller batch until 0 + 2 ms; 1 joins; batch {0,1} (2 rows)
    //    runs 2..4 ms (1 + 2 x 0.5)
    assertThat(latency.get(0)).isEqualTo(4 * MS);
    assertThat(latency.get(1)).isEqualTo(3 * MS);
    // 2 (gold, 4 rows) and 3 (bronze) queue while busy; at 4 ms 5 rows >= max batch: {2} alone
    //    (3 does not fit) runs 4..7 ms
    assertThat(latency.get(2)).isEqualTo(4 * MS);
    // 3 has waited since 3.5 ms > 2 ms: starts at 7 ms, 1.5 ms
    assertThat(latency.get(3)).isEqualTo(5 * MS);
    // 4 (bronze, 8 ms) and 5 (gold, 8.2 ms) queue; replica frees at 8.5 ms; the timer of the
    //    oldest (8 + 2 = 10 ms) starts {5, 4}, gold first, 2 rows: done at 12 ms
    assertThat(latency.get(4)).isEqualTo(4 * MS);
    assertThat(latency.get(5)).isEqualTo(12 * MS - (8 * MS + MS / 5));
  }

  @Test
  void baselinesSeeTheSameSinglePool() {
    assertThat(latencies(RoutingPolicy.cpuOnly())).isEqualTo(latencies(RoutingPolicy.cheapestMeetingSla()));
  }

  @Test
  void billsReplicaHoursTimesPrice() {
    Scenario scenario = onePool(1);
    RunResult result = new Simulation(scenario, scenario.trace(0), RoutingPolicy.cpuOnly(),
        Fleet.of(1), false).run();
    // $0.36/h for 20 ms = 0.36 x 0.02 / 3600 = 2e-6 dollars; 9 rows served
    assertThat(result.costDollars()).isCloseTo(2e-6, org.assertj.core.data.Offset.offset(1e-15));
    assertThat(result.servedRows()).isEqualTo(9);
    assertThat(result.meetsTargets()).isTrue();
    assertThat(result.compliance(GOLD)).isEqualTo(1.0);
  }

  @Test
  void shedsEverythingWithNoReplicas() {
    Scenario scenario = onePool(0);
    RunResult result = new Simulation(scenario, scenario.trace(0),
        RoutingPolicy.cheapestMeetingSla(), Fleet.of(0), false).run();
    assertThat(result.shedTotal()).isEqualTo(6);
    assertThat(result.meetsTargets()).isFalse();
    assertThat(result.costDollars()).isZero();
  }
}
