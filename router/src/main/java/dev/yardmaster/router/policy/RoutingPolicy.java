package dev.yardmaster.router.policy;

/**
 * Chooses the pool for one request from a {@link PoolSnapshot}. Implementations are pure (the
 * clock is {@link PoolSnapshot#nowNanos()}), thread-safe, and never throw on odd snapshots: a pool
 * they cannot predict is infeasible, and with nothing to choose they shed.
 */
public interface RoutingPolicy {

  /**
   * The cost-aware policy: the cheapest pool (by cost per inference within the tier's budget) whose
   * predicted latency is within the tier's budget times the safety margin and the deadline.
   */
  static RoutingPolicy cheapestMeetingSla(RoutingConfig config) {
    return new CheapestMeetingSla(config);
  }

  /** {@link #cheapestMeetingSla(RoutingConfig)} with {@link RoutingConfig#defaults()}. */
  static RoutingPolicy cheapestMeetingSla() {
    return cheapestMeetingSla(RoutingConfig.defaults());
  }

  /** Baseline: the least-loaded available GPU pool, whatever it costs; shed when there is none. */
  static RoutingPolicy gpuOnly() {
    return new AcceleratorOnly("gpu-only", AcceleratorKind.GPU);
  }

  /** Baseline: the least-loaded available CPU pool; shed when there is none. */
  static RoutingPolicy cpuOnly() {
    return new AcceleratorOnly("cpu-only", AcceleratorKind.CPU);
  }

  /** Baseline: available pools in turn. */
  static RoutingPolicy roundRobin() {
    return new RoundRobin();
  }

  /** Baseline: the available pool with the fewest queued plus in-flight rows per replica. */
  static RoutingPolicy leastQueue() {
    return new LeastQueue();
  }

  /** Short name for metrics and reports, e.g. {@code cheapest-meeting-sla}. */
  String name();

  /**
   * Writes the decision into {@code result}; allocates nothing.
   *
   * @throws IllegalArgumentException when the request is pinned to a pool the snapshot lacks
   */
  default void route(RouteRequest request, PoolSnapshot snapshot, RouteResult result) {
    route(request.model(), request.tier(), request.rows(), request.deadlineNanos(), request.pinnedPool(), snapshot,
        result);
  }

  /**
   * {@link #route(RouteRequest, PoolSnapshot, RouteResult)} with the request's fields as arguments,
   * for a hot path that must not rely on the JIT removing a {@link RouteRequest} per call (it does
   * only when it inlines the whole policy). Arguments as {@link RouteRequest} documents them.
   *
   * @throws IllegalArgumentException when the request is pinned to a pool the snapshot lacks
   */
  void route(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool, PoolSnapshot snapshot,
      RouteResult result);

  /** The decision as a value (one small allocation unless the JIT scalar-replaces it). */
  default RouteDecision route(RouteRequest request, PoolSnapshot snapshot) {
    RouteResult result = new RouteResult();
    route(request, snapshot, result);
    return result.toDecision();
  }
}
