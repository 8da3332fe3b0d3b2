package dev.yardmaster.router.policy;

import java.util.concurrent.atomic.AtomicInteger;

/** Baseline: available pools in turn, skipping unavailable ones. */
final class RoundRobin implements RoutingPolicy {

  private final AtomicInteger next = new AtomicInteger();

  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public void route(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool, PoolSnapshot snapshot,
      RouteResult result) {
    if (Policies.routePinned(pinnedPool, model, rows, snapshot, result)) {
      return;
    }
    int n = snapshot.size();
    if (n == 0) {
      result.shed();
      return;
    }
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      int p = (start + i) % n;
      if (snapshot.isAvailable(p)) {
        Policies.baseline(p, snapshot, model, rows, result);
        return;
      }
    }
    result.shed();
  }

  @Override
  public String toString() {
    return name();
  }
}
