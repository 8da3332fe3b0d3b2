package dev.yardmaster.router.policy;

/**
 * Where one request goes and why.
 *
 * @param pool pool index in the snapshot, or {@link #NO_POOL} when shed
 * @param reason why; counted in metrics and simulator reports
 * @param predictedLatencyNanos the prediction for that pool, or {@link #UNKNOWN_LATENCY} when the
 *     pool has no profile for the model (or the request was shed)
 */
public record RouteDecision(int pool, Reason reason, long predictedLatencyNanos) {

  public static final int NO_POOL = -1;
  public static final long UNKNOWN_LATENCY = -1;

  private static final RouteDecision SHED = new RouteDecision(NO_POOL, Reason.SHED, UNKNOWN_LATENCY);

  /** Why a pool was chosen; lower-case names are the metric label values. */
  public enum Reason {
    /** The cheapest pool whose predicted latency meets the tier. */
    CHEAPEST_FEASIBLE,
    /** No pool met the tier: the fastest one, or the first in the fallback order. */
    FALLBACK,
    /** Refused under overload (RESOURCE_EXHAUSTED with a retry hint). */
    SHED,
    /** The request named its pool. */
    PINNED,
    /** Reserved: a canary split chose the pool. */
    CANARY,
    /** A baseline policy (GPU-only, round-robin, ...) that weighs neither cost nor SLA. */
    BASELINE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static RouteDecision to(int pool, long predictedLatencyNanos) {
    return new RouteDecision(pool, Reason.CHEAPEST_FEASIBLE, predictedLatencyNanos);
  }

  public static RouteDecision fallback(int pool, long predictedLatencyNanos) {
    return new RouteDecision(pool, Reason.FALLBACK, predictedLatencyNanos);
  }

  public static RouteDecision pinned(int pool, long predictedLatencyNanos) {
    return new RouteDecision(pool, Reason.PINNED, predictedLatencyNanos);
  }

  public static RouteDecision shed() {
    return SHED;
  }

  public boolean isShed() {
    return reason == Reason.SHED;
  }
}
