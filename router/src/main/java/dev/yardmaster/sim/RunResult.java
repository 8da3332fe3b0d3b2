package dev.yardmaster.sim;

import dev.yardmaster.router.policy.Tier;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one simulation of (trace, policy, fleet) measured: per tier the requests, sheds, how many
 * met the tier (budget for gold/silver, served within the timeout for bronze) and a latency
 * histogram in microseconds; per pool the traffic and busy time; and the bill.
 */
public final class RunResult {

  final Scenario scenario;
  final String policy;
  final Fleet fleet;
  final long durationNanos;
  final long[] requests;
  final long[] shed;
  final long[] met;
  final Histogram[] latencyMicros;
  final long[] routedRequests;
  final long[] routedRows;
  final long[] batches;
  final long[] busyNanos;
  boolean aborted;

  RunResult(Scenario scenario, String policy, Fleet fleet, long durationNanos) {
    int tiers = scenario.tiers().size();
    int pools = scenario.pools().size();
    this.scenario = scenario;
    this.policy = policy;
    this.fleet = fleet;
    this.durationNanos = durationNanos;
    this.requests = new long[tiers];
    this.shed = new long[tiers];
    this.met = new long[tiers];
    this.latencyMicros = new Histogram[tiers];
    for (int t = 0; t < tiers; t++) {
      latencyMicros[t] = new Histogram(3);
    }
    this.routedRequests = new long[pools];
    this.routedRows = new long[pools];
    this.batches = new long[pools];
    this.busyNanos = new long[pools];
  }

  public String policy() {
    return policy;
  }

  public Fleet fleet() {
    return fleet;
  }

  /** True when the run stopped early because a tier could no longer meet its target. */
  public boolean aborted() {
    return aborted;
  }

  /** Replica-hours x price over the trace duration, in dollars. */
  public double costDollars() {
    return fleet.pricePerHour(scenario.pools()) * durationNanos / 3.6e12;
  }

  public long servedRows() {
    long rows = 0;
    for (long r : routedRows) {
      rows += r;
    }
    return rows;
  }

  /** Dollars per million served inferences (rows). */
  public double costPerMillion() {
    long rows = servedRows();
    return rows == 0 ? Double.NaN : costDollars() / rows * 1e6;
  }

  public long shedTotal() {
    long total = 0;
    for (long s : shed) {
      total += s;
    }
    return total;
  }

  /** Share of the tier's requests that met it; 1 when it had none. */
  public double compliance(int tier) {
    return requests[tier] == 0 ? 1.0 : met[tier] / (double) requests[tier];
  }

  /** True when every tier met its target share. */
  public boolean meetsTargets() {
    if (aborted) {
      return false;
    }
    for (Tier tier : scenario.tiers()) {
      int t = tier.index();
      double target = tier.isBestEffort()
          ? scenario.targets().bestEffortServed()
          : scenario.targets().budgetedCompliance();
      if (met[t] < Math.ceil(target * requests[t] - 1e-9)) {
        return false;
      }
    }
    return true;
  }

  /** Latency percentile of the tier's served requests in milliseconds; NaN when none. */
  public double latencyMs(int tier, double percentile) {
    Histogram histogram = latencyMicros[tier];
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The per-tier facts for reports. */
  public List<TierSummary> tierSummaries() {
    return summaries(scenario, requests, shed, met, latencyMicros);
  }

  static List<TierSummary> summaries(
      Scenario scenario, long[] requests, long[] shed, long[] met, Histogram[] latencyMicros) {
    List<TierSummary> summaries = new ArrayList<>();
    for (Tier tier : scenario.tiers()) {
      int t = tier.index();
      Histogram histogram = latencyMicros[t];
      boolean none = histogram.getTotalCount() == 0;
      summaries.add(new TierSummary(tier.name(),
          tier.isBestEffort() ? null : tier.p99BudgetNanos() / 1e6, requests[t], shed[t],
          none ? Double.NaN : histogram.getValueAtPercentile(50) / 1000.0,
          none ? Double.NaN : histogram.getValueAtPercentile(99) / 1000.0,
          requests[t] == 0 ? 1.0 : met[t] / (double) requests[t]));
    }
    return summaries;
  }

  /** Requests routed to each pool. */
  public long routedRequests(int pool) {
    return routedRequests[pool];
  }

  /** Busy share of the pool's replicas over the trace; NaN with no replicas. */
  public double utilization(int pool) {
    int replicas = fleet.replicas(pool);
    return replicas == 0 ? Double.NaN : busyNanos[pool] / ((double) replicas * durationNanos);
  }
}
