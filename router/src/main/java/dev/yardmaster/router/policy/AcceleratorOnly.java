package dev.yardmaster.router.policy;

/** Baseline that uses one kind of hardware only: the simulator's GPU-only and CPU-only. */
final class AcceleratorOnly implements RoutingPolicy {

  private final String name;
  private final AcceleratorKind kind;

  AcceleratorOnly(String name, AcceleratorKind kind) {
    this.name = name;
    this.kind = kind;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void route(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool, PoolSnapshot snapshot,
      RouteResult result) {
    if (!Policies.routePinned(pinnedPool, model, rows, snapshot, result)) {
      Policies.baseline(Policies.leastLoaded(snapshot, kind), snapshot, model, rows, result);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
