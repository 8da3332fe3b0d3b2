package dev.yardmaster.router.policy;

/**
 * The facts about one request that routing needs; admission resolves names to indexes.
 *
 * @param model index of the model version in the snapshot's curves
 * @param tier the request's SLA tier
 * @param rows batch rows the request carries (>= 1)
 * @param deadlineNanos absolute deadline on the snapshot's clock, or {@link #NO_DEADLINE}
 * @param pinnedPool pool index the request is pinned to, or {@link #NOT_PINNED}
 */
public record RouteRequest(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool) {

  public static final long NO_DEADLINE = Long.MAX_VALUE;
  public static final int NOT_PINNED = -1;

  public RouteRequest {
    if (model < 0) {
      throw new IllegalArgumentException("model: " + model + " (expected: >= 0)");
    }
    if (rows < 1) {
      throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1)");
    }
    if (pinnedPool < NOT_PINNED) {
      throw new IllegalArgumentException(
          "pinnedPool: " + pinnedPool + " (expected: >= 0, or NOT_PINNED)");
    }
  }

  /** A request with no deadline and no pin. */
  public static RouteRequest of(int model, Tier tier, int rows) {
    return new RouteRequest(model, tier, rows, NO_DEADLINE, NOT_PINNED);
  }

  public RouteRequest withDeadline(long deadlineNanos) {
    return new RouteRequest(model, tier, rows, deadlineNanos, pinnedPool);
  }

  public RouteRequest pinnedTo(int pool) {
    return new RouteRequest(model, tier, rows, deadlineNanos, pool);
  }

  public boolean isPinned() {
    return pinnedPool != NOT_PINNED;
  }
}
