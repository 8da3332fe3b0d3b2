package dev.yardmaster.router.policy;

import dev.yardmaster.router.policy.RouteDecision.Reason;

/**
 * A caller-owned, reusable decision holder: {@link RoutingPolicy#route(RouteRequest, PoolSnapshot,
 * RouteResult)} writes into it so the hot path allocates nothing. Not thread-safe; keep one per
 * thread or per call site.
 */
public final class RouteResult {

  private int pool = RouteDecision.NO_POOL;
  private Reason reason = Reason.SHED;
  private long predictedLatencyNanos = RouteDecision.UNKNOWN_LATENCY;

  public int pool() {
    return pool;
  }

  public Reason reason() {
    return reason;
  }

  public long predictedLatencyNanos() {
    return predictedLatencyNanos;
  }

  void set(int pool, Reason reason, long predictedLatencyNanos) {
    this.pool = pool;
    this.reason = reason;
    this.predictedLatencyNanos = predictedLatencyNanos;
  }

  void shed() {
    set(RouteDecision.NO_POOL, Reason.SHED, RouteDecision.UNKNOWN_LATENCY);
  }

  /** The same facts as an immutable value. */
  public RouteDecision toDecision() {
    return reason == Reason.SHED
        ? RouteDecision.shed()
        : new RouteDecision(pool, reason, predictedLatencyNanos);
  }

  @Override
  public String toString() {
    return toDecision().toString();
  }
}
