package dev.yardmaster.router.profile;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ServiceCurve} from a profile entry: for each batch size 1..the largest measured,
 * the lowest measured p99 at that batch (the unloaded service time; queueing is predicted
 * separately), and where a batch was not measured, a least-squares line through the measured ones.
 *
 * <p>A pool that does not merge requests (no dynamic batching: its server statistics show one-row
 * requests under concurrent load executed one row at a time) drains a queue of one-row requests
 * one execution per request, not at the rate of its best batched execution. For such a pool the
 * curve takes b rows to cost at least b one-row requests at the best one-row throughput the profile
 * measured, so its drain rate is what it did for one-row requests (a batch request's own service
 * time is then over-estimated: the conservative side). Without
 * server statistics (older profiles, backends without the statistics RPC) the curve is as measured.
 */
public final class ServiceCurves {

  private static final long MIN_LATENCY_NANOS = 1_000;
  /** Mean rows per execution below which concurrent one-row requests were not merged. */
  private static final double MERGED_BATCH_THRESHOLD = 1.1;

  private ServiceCurves() {}

  /** The curve of the entry for (version, pool), or null when the profile has none. */
  public static @Nullable ServiceCurve find(Profile profile, String modelVersion, String pool, List<Tier> tiers) {
    for (ProfileEntry entry : profile.entries()) {
      if (entry.modelVersion().equals(modelVersion) && entry.pool().equals(pool)) {
        return of(entry, tiers);
      }
    }
    return null;
  }

  public static ServiceCurve of(ProfileEntry entry, List<Tier> tiers) {
    int maxBatch = 0;
    for (GridPoint point : entry.grid()) {
      maxBatch = Math.max(maxBatch, point.batch());
    }
    double[] lowestP99Ms = new double[maxBatch + 1];
    java.util.Arrays.fill(lowestP99Ms, Double.NaN);
    for (GridPoint point : entry.grid()) {
      double current = lowestP99Ms[point.batch()];
      if (Double.isNaN(current) || point.p99Ms() < current) {
        lowestP99Ms[point.batch()] = point.p99Ms();
      }
    }
    // least squares through the measured batches, for the batches in between
    int n = 0;
    double sumX = 0;
    double sumY = 0;
    double sumXy = 0;
    double sumXx = 0;
    for (int b = 1; b <= maxBatch; b++) {
      if (!Double.isNaN(lowestP99Ms[b])) {
        n++;
        sumX += b;
        sumY += lowestP99Ms[b];
        sumXy += b * lowestP99Ms[b];
        sumXx += (double) b * b;
      }
    }
    double denominator = n * sumXx - sumX * sumX;
    double slope = denominator == 0 ? 0 : (n * sumXy - sumX * sumY) / denominator;
    double intercept = (sumY - slope * sumX) / n;
    long[] latencyNanos = new long[maxBatch];
    for (int b = 1; b <= maxBatch; b++) {
      double ms = Double.isNaN(lowestP99Ms[b]) ? intercept + slope * b : lowestP99Ms[b];
      latencyNanos[b - 1] = Math.max(MIN_LATENCY_NANOS, Math.round(ms * 1_000_000));
    }
    if (runsRequestsOneAtATime(entry)) {
      long oneRowNanos = Math.round(1e9 / bestOneRowThroughput(entry));
      for (int b = 2; b <= maxBatch; b++) {
        latencyNanos[b - 1] = Math.max(latencyNanos[b - 1], b * oneRowNanos);
      }
    }
    return ServiceCurve.of(latencyNanos, tiers);
  }

  /** The highest throughput (rows/s) the entry measured for one-row requests. */
  private static double bestOneRowThroughput(ProfileEntry entry) {
    double best = 0;
    for (GridPoint point : entry.grid()) {
      if (point.batch() == 1) {
        best = Math.max(best, point.throughput());
      }
    }
    return best;
  }

  /**
   * True when the server statistics of the entry's concurrent one-row points show the pool ran
   * them one row per execution: it does not merge requests into batches.
   */
  static boolean runsRequestsOneAtATime(ProfileEntry entry) {
    boolean seen = false;
    for (GridPoint point : entry.grid()) {
      if (point.batch() == 1 && point.concurrency() > 1 && point.server() != null && point.throughput() > 0) {
        if (point.server().batch() >= MERGED_BATCH_THRESHOLD) {
          return false;
        }
        seen = true;
      }
    }
    return seen;
  }
}
