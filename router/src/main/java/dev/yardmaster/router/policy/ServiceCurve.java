package dev.yardmaster.router.policy;

import java.util.Arrays;
import java.util.List;

/**
 * One model on one pool's hardware, from its profile: service latency per batch size on one
 * replica, and the facts derived from it once (drain rate, max throughput within each tier's
 * budget), so routing only reads.
 */
public final class ServiceCurve {

  private final long[] latencyNanosByBatch; // index b - 1
  private final double drainRowsPerSecond;
  private final double[] maxThroughputByTier;

  private ServiceCurve(long[] latencyNanosByBatch, List<Tier> tiers) {
    this.latencyNanosByBatch = latencyNanosByBatch;
    double drain = 0;
    for (int b = 1; b <= latencyNanosByBatch.length; b++) {
      drain = Math.max(drain, b * 1e9 / latencyNanosByBatch[b - 1]);
    }
    this.drainRowsPerSecond = drain;
    int tierSlots = 0;
    for (Tier tier : tiers) {
      tierSlots = Math.max(tierSlots, tier.index() + 1);
    }
    this.maxThroughputByTier = new double[tierSlots];
    for (Tier tier : tiers) {
      double best = 0;
      for (int b = 1; b <= latencyNanosByBatch.length; b++) {
        if (latencyNanosByBatch[b - 1] <= tier.p99BudgetNanos()) {
          best = Math.max(best, b * 1e9 / latencyNanosByBatch[b - 1]);
        }
      }
      maxThroughputByTier[tier.index()] = best;
    }
  }

  /**
   * A curve from measured latencies.
   *
   * @param latencyNanosByBatch service latency of a batch of {@code b} rows at index {@code b - 1};
   *     its length is the max batch size
   * @param tiers the tiers whose budgets the per-tier throughput is computed for
   */
  public static ServiceCurve of(long[] latencyNanosByBatch, List<Tier> tiers) {
    if (latencyNanosByBatch.length == 0) {
      throw new IllegalArgumentException("latencyNanosByBatch: [] (expected: at least batch 1)");
    }
    for (int i = 0; i < latencyNanosByBatch.length; i++) {
      if (latencyNanosByBatch[i] <= 0) {
        throw new IllegalArgumentException(
            "latencyNanosByBatch[" + i + "]: " + latencyNanosByBatch[i] + " (expected: > 0)");
      }
    }
    return new ServiceCurve(latencyNanosByBatch.clone(), tiers);
  }

  /** A linear curve {@code latency(b) = interceptNanos + perRowNanos * b} for b in 1..maxBatch. */
  public static ServiceCurve linear(
      long interceptNanos, long perRowNanos, int maxBatch, List<Tier> tiers) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: >= 1)");
    }
    long[] latencies = new long[maxBatch];
    for (int b = 1; b <= maxBatch; b++) {
      latencies[b - 1] = interceptNanos + perRowNanos * b;
    }
    return of(latencies, tiers);
  }

  public int maxBatch() {
    return latencyNanosByBatch.length;
  }

  /**
   * Service time of {@code rows} rows on one replica: the curve up to max batch, then whole max
   * batches one after another.
   */
  public long serviceNanos(int rows) {
    int maxBatch = latencyNanosByBatch.length;
    if (rows <= maxBatch) {
      return latencyNanosByBatch[Math.max(rows, 1) - 1];
    }
    long batches = (rows + (long) maxBatch - 1) / maxBatch;
    return batches * latencyNanosByBatch[maxBatch - 1];
  }

  /** Rows per second one replica drains when its queue is full (the best batch). */
  public double drainRowsPerSecond() {
    return drainRowsPerSecond;
  }

  /** Max rows per second on one replica at a batch whose latency is within the tier's budget. */
  public double maxThroughput(Tier tier) {
    int i = tier.index();
    return i < maxThroughputByTier.length ? maxThroughputByTier[i] : 0;
  }

  @Override
  public String toString() {
    return "ServiceCurve{maxBatch=" + maxBatch() + ", drainRowsPerSecond=" + drainRowsPerSecond
        + ", maxThroughputByTier=" + Arrays.toString(maxThroughputByTier) + '}';
  }
}
