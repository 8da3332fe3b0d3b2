package dev.yardmaster.sim;

import dev.yardmaster.router.policy.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The capacity any fleet needs to serve a stretch of trace, in a fluid model that is optimistic on
 * purpose (so it bounds cost from below): every batch is the best one within the tier's budget,
 * routing is perfect, and rows may wait their tier's whole allowance.
 *
 * <p>For each tier k, taken from the strictest budget to the loosest, the tiers at least as strict
 * (set S_k) must get their rows served by the end of any interval plus k's allowance (its p99
 * budget; for best effort, the best-effort timeout), at no more than the per-replica throughput of
 * a batch within k's budget. So the fleet needs {@code sum_p replicas_p * throughput_p(k) >=
 * rows_Sk(interval) / (length + allowance_k)} for every interval. The intervals checked start at
 * each arrival and last one of {@link #LENGTHS_NANOS} or the whole stretch; checking fewer
 * intervals than all only lowers the requirement, so it stays a lower bound. It ignores the 0.1%
 * of requests the SLA targets allow to miss.
 */
final class FluidBound {

  static final long[] LENGTHS_NANOS = {0, 5_000_000, 10_000_000, 20_000_000, 50_000_000,
      100_000_000, 200_000_000, 500_000_000, 1_000_000_000, 2_000_000_000, 5_000_000_000L,
      10_000_000_000L, 30_000_000_000L, 60_000_000_000L};

  private final List<Tier> tiersByBudget;
  private final double[] requiredRowsPerSecond; // by position in tiersByBudget

  private FluidBound(List<Tier> tiersByBudget, double[] requiredRowsPerSecond) {
    this.tiersByBudget = tiersByBudget;
    this.requiredRowsPerSecond = requiredRowsPerSecond;
  }

  /** The requirement of requests [from, to) of the trace. */
  static FluidBound of(Scenario scenario, Trace trace, int from, int to) {
    List<Tier> byBudget = new ArrayList<>(scenario.tiers());
    byBudget.sort(Comparator.comparingLong(Tier::p99BudgetNanos));
    double[] required = new double[byBudget.size()];
    boolean[] inSet = new boolean[scenario.tiers().size()];
    for (int k = 0; k < byBudget.size(); k++) {
      Tier tier = byBudget.get(k);
      inSet[tier.index()] = true;
      long allowance = tier.isBestEffort()
          ? scenario.targets().bestEffortTimeoutNanos()
          : tier.p99BudgetNanos();
      double worst = 0;
      long span = to > from ? trace.atNanos(to - 1) - trace.atNanos(from) : 0;
      for (long length : LENGTHS_NANOS) {
        worst = Math.max(worst, maxRows(trace, from, to, inSet, Math.min(length, span))
            * 1e9 / (Math.min(length, span) + allowance));
      }
      required[k] = worst;
    }
    return new FluidBound(byBudget, required);
  }

  /** Most rows of the tiers in {@code inSet} arriving within {@code length} of one arrival. */
  private static long maxRows(Trace trace, int from, int to, boolean[] inSet, long length) {
    long best = 0;
    long window = 0;
    int end = from;
    for (int start = from; start < to; start++) {
      while (end < to && trace.atNanos(end) - trace.atNanos(start) <= length) {
        if (inSet[trace.tier(end)]) {
          window += trace.rows(end);
        }
        end++;
      }
      best = Math.max(best, window);
      if (inSet[trace.tier(start)]) {
        window -= trace.rows(start);
      }
    }
    return best;
  }

  /** True when the fleet has the capacity, counting only the pools in {@code usable}. */
  boolean admits(Scenario scenario, Fleet fleet, boolean[] usable) {
    for (int k = 0; k < tiersByBudget.size(); k++) {
      Tier tier = tiersByBudget.get(k);
      double capacity = 0;
      for (int p = 0; p < scenario.pools().size(); p++) {
        if (usable[p]) {
          capacity += fleet.replicas(p) * scenario.pools().get(p).curve().maxThroughput(tier);
        }
      }
      if (capacity < requiredRowsPerSecond[k]) {
        return false;
      }
    }
    return true;
  }
}
