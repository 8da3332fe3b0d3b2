package dev.yardmaster.router.policy;

/**
 * What routing sees of one pool at one instant. Odd values (NaN price, zero replicas, negative
 * counts) are accepted here and make the pool infeasible in {@link PoolSnapshot}, never an error.
 *
 * @param id pool name from config, e.g. {@code gpu-a10g}
 * @param accelerator the hardware, for the fallback order and the baselines
 * @param pricePerHour on-demand price of one replica in dollars per hour
 * @param replicas replicas serving now
 * @param healthy false when the pool has no ready endpoint
 * @param queuedRows rows waiting in the pool's queues (router's own count plus hints)
 * @param inFlight requests dispatched and not yet answered
 * @param overheadNanos observed network and dispatch overhead (EWMA)
 * @param residualNanos observed minus predicted latency (EWMA), the online correction; may be
 *     negative
 * @param tailLatenessNanos how much later than predicted the pool's recent answers of the tier being
 *     routed came at their tail (a high quantile over the last second); 0 when they came on time or
 *     there were none. A budgeted tier adds it to the prediction, so a pool that recently missed its
 *     predictions (a stale profile, throttling, other tenants) stops taking it until it recovers
 */
public record PoolView(
    String id,
    AcceleratorKind accelerator,
    double pricePerHour,
    int replicas,
    boolean healthy,
    long queuedRows,
    int inFlight,
    long overheadNanos,
    long residualNanos,
    long tailLatenessNanos) {

  /** A view with no recent lateness. */
  public PoolView(String id, AcceleratorKind accelerator, double pricePerHour, int replicas, boolean healthy,
      long queuedRows, int inFlight, long overheadNanos, long residualNanos) {
    this(id, accelerator, pricePerHour, replicas, healthy, queuedRows, inFlight, overheadNanos, residualNanos, 0);
  }

  /** A healthy, idle pool with no observed overhead yet. */
  public static PoolView idle(String id, AcceleratorKind accelerator, double pricePerHour, int replicas) {
    return new PoolView(id, accelerator, pricePerHour, replicas, true, 0, 0, 0, 0);
  }

  public PoolView withQueuedRows(long rows) {
    return new PoolView(
        id, accelerator, pricePerHour, replicas, healthy, rows, inFlight, overheadNanos, residualNanos,
        tailLatenessNanos);
  }

  public PoolView withHealthy(boolean isHealthy) {
    return new PoolView(
        id, accelerator, pricePerHour, replicas, isHealthy, queuedRows, inFlight, overheadNanos,
        residualNanos, tailLatenessNanos);
  }

  public PoolView withOverhead(long overhead, long residual) {
    return new PoolView(
        id, accelerator, pricePerHour, replicas, healthy, queuedRows, inFlight, overhead, residual,
        tailLatenessNanos);
  }

  public PoolView withTailLateness(long lateness) {
    return new PoolView(
        id, accelerator, pricePerHour, replicas, healthy, queuedRows, inFlight, overheadNanos, residualNanos,
        lateness);
  }
}
