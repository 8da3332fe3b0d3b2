package dev.yardmaster.router.policy;

/** Baseline: the available pool with the least (queued + in-flight) rows per replica. */
final class LeastQueue implements RoutingPolicy {

  @Override
  public String name() {
    return "least-queue";
  }

  @Override
  public void route(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool, PoolSnapshot snapshot,
      RouteResult result) {
    if (Policies.routePinned(pinnedPool, model, rows, snapshot, result)) {
      return;
    }
    int best = -1;
    double bestLoad = Double.POSITIVE_INFINITY;
    for (int p = 0; p < snapshot.size(); p++) {
      double load = snapshot.loadPerReplica(p);
      if (snapshot.isAvailable(p) && (best < 0 || load < bestLoad)) {
        best = p;
        bestLoad = load;
      }
    }
    Policies.baseline(best, snapshot, model, rows, result);
  }

  @Override
  public String toString() {
    return name();
  }
}
