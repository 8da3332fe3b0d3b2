package dev.yardmaster.router.policy;

import dev.yardmaster.router.policy.RouteDecision.Reason;

/** Steps shared by the policies. */
final class Policies {

  private Policies() {}

  /** Honours a pin and returns true, or returns false when the request is not pinned. */
  static boolean routePinned(int pool, int model, int rows, PoolSnapshot snapshot, RouteResult result) {
    if (pool == RouteRequest.NOT_PINNED) {
      return false;
    }
    if (pool < 0 || pool >= snapshot.size()) {
      throw new IllegalArgumentException(
          "pinnedPool: " + pool + " (expected: < " + snapshot.size() + ", the pool count)");
    }
    result.set(pool, Reason.PINNED, predictedOrUnknown(snapshot, pool, model, rows));
    return true;
  }

  static long predictedOrUnknown(PoolSnapshot snapshot, int pool, int model, int rows) {
    double predicted = snapshot.predictedLatencyNanos(pool, model, rows);
    return predicted < Double.POSITIVE_INFINITY ? Math.round(predicted) : RouteDecision.UNKNOWN_LATENCY;
  }

  /** The least-loaded available pool of the kind or -1. */
  static int leastLoaded(PoolSnapshot snapshot, AcceleratorKind kind) {
    int best = -1;
    double bestLoad = Double.POSITIVE_INFINITY;
    for (int p = 0; p < snapshot.size(); p++) {
      if (snapshot.isAvailable(p) && snapshot.accelerator(p) == kind) {
        double load = snapshot.loadPerReplica(p);
        if (best < 0 || load < bestLoad) {
          best = p;
          bestLoad = load;
        }
      }
    }
    return best;
  }

  static void baseline(int pool, PoolSnapshot snapshot, int model, int rows, RouteResult result) {
    if (pool < 0) {
      result.shed();
    } else {
      result.set(pool, Reason.BASELINE, predictedOrUnknown(snapshot, pool, model, rows));
    }
  }
}
