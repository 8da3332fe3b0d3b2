package dev.yardmaster.profiler.profile;

import dev.yardmaster.profiler.profile.Profile.TierBudget;
import dev.yardmaster.profiler.profile.ProfileEntry.BatchingAdvice;
import dev.yardmaster.profiler.profile.ProfileEntry.Derived;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.LatencyFit;
import dev.yardmaster.profiler.profile.ProfileEntry.Recommendation;
import dev.yardmaster.profiler.profile.ProfileEntry.TierFacts;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Computes an entry's derived facts from its grid, price and the tier budgets. */
public final class Derivation {

  private Derivation() {}

  public static Derived derive(ProfileEntry entry, List<TierBudget> tiers, double targetThroughput) {
    List<TierFacts> facts = new ArrayList<>(tiers.size());
    for (TierBudget tier : tiers) {
      facts.add(tierFacts(entry, tier));
    }
    LatencyFit fit = latencyFit(entry.grid());
    List<BatchingAdvice> batching = new ArrayList<>(facts.size());
    for (TierFacts tier : facts) {
      batching.add(batchingAdvice(entry, tier, fit));
    }
    return new Derived(fit, facts, recommendation(entry, facts, targetThroughput), batching);
  }

  /**
   * The batching config for a tier: prefer the batch of the tier's best point and every larger
   * measured batch that still met the budget at concurrency 1; let a request wait for a batch at
   * most half the budget's headroom over the best point's p99 (best effort: one service time of the
   * best batch), so waiting never spends the budget the service itself needs.
   */
  public static BatchingAdvice batchingAdvice(ProfileEntry entry, TierFacts tier, @Nullable LatencyFit fit) {
    if (tier.batch() == 0 || tier.p99Ms() == null) {
      return new BatchingAdvice(tier.tier(), List.of(), 0);
    }
    java.util.TreeSet<Integer> preferred = new java.util.TreeSet<>();
    preferred.add(tier.batch());
    for (GridPoint point : entry.grid()) {
      boolean fits = tier.p99BudgetMs() == null || point.p99Ms() <= tier.p99BudgetMs();
      if (point.concurrency() == 1 && point.batch() > tier.batch() && point.errors() == 0 && fits) {
        preferred.add(point.batch());
      }
    }
    double delayMs;
    if (tier.p99BudgetMs() == null) {
      delayMs = fit == null ? tier.p99Ms() : Math.max(0, fit.latencyMs(tier.batch()));
    } else {
      delayMs = Math.max(0, tier.p99BudgetMs() - tier.p99Ms()) / 2;
    }
    return new BatchingAdvice(tier.tier(), List.copyOf(preferred), Math.round(delayMs * 1000));
  }

  /** Least squares of p99 ms against batch over the concurrency-1 points; null when there are none. */
  public static @Nullable LatencyFit latencyFit(List<GridPoint> grid) {
    int n = 0;
    double sumX = 0;
    double sumY = 0;
    for (GridPoint point : grid) {
      if (point.concurrency() == 1) {
        n++;
        sumX += point.batch();
        sumY += point.p99Ms();
      }
    }
    if (n == 0) {
      return null;
    }
    double meanX = sumX / n;
    double meanY = sumY / n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (GridPoint point : grid) {
      if (point.concurrency() == 1) {
        double dx = point.batch() - meanX;
        double dy = point.p99Ms() - meanY;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
      }
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    double intercept = meanY - slope * meanX;
    double ssRes = 0;
    for (GridPoint point : grid) {
      if (point.concurrency() == 1) {
        double residual = point.p99Ms() - (intercept + slope * point.batch());
        ssRes += residual * residual;
      }
    }
    double rSquared = syy == 0 ? 1 : 1 - ssRes / syy;
    return new LatencyFit(intercept, slope, rSquared, n);
  }

  /** The highest-throughput error-free point within the budget; ties to the lower p99. */
  public static TierFacts tierFacts(ProfileEntry entry, TierBudget tier) {
    GridPoint best = null;
    for (GridPoint point : entry.grid()) {
      boolean fits = point.errors() == 0 && point.throughput() > 0
          && (tier.p99Ms() == null || point.p99Ms() <= tier.p99Ms());
      if (fits && (best == null || point.throughput() > best.throughput()
          || (point.throughput() == best.throughput() && point.p99Ms() < best.p99Ms()))) {
        best = point;
      }
    }
    if (best == null) {
      return new TierFacts(tier.name(), tier.p99Ms(), 0, 0, 0, null, null);
    }
    double costPerMillion = entry.pricePerHour() / 3600 / best.throughput() * 1e6;
    return new TierFacts(tier.name(), tier.p99Ms(), best.throughput(), best.batch(), best.concurrency(),
        best.p99Ms(), costPerMillion);
  }

  private static @Nullable Recommendation recommendation(
      ProfileEntry entry, List<TierFacts> facts, double targetThroughput) {
    TierFacts strictest = null;
    for (TierFacts tier : facts) {
      if (tier.p99BudgetMs() != null
          && (strictest == null || tier.p99BudgetMs() < strictest.p99BudgetMs())) {
        strictest = tier;
      }
    }
    if (strictest == null && !facts.isEmpty()) {
      strictest = facts.get(0);
    }
    if (strictest == null || strictest.batch() == 0) {
      return null;
    }
    GridPoint point = null;
    for (GridPoint candidate : entry.grid()) {
      if (candidate.batch() == strictest.batch() && candidate.concurrency() == strictest.concurrency()) {
        point = candidate;
      }
    }
    double throughput = strictest.maxThroughput();
    int instances = targetThroughput > 0 ? (int) Math.ceil(targetThroughput / throughput) : 1;
    return new Recommendation(
        entry.pricePerHour() / 3600 / throughput,
        throughput / strictest.batch() * 60,
        point == null ? strictest.p99Ms() : point.p50Ms(),
        Math.max(1, instances));
  }
}
