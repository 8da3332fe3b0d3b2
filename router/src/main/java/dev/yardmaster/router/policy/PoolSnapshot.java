package dev.yardmaster.router.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * All pools as routing sees them at {@link #nowNanos()}, with every per-(pool, model) fact that
 * does not depend on the request computed once here, so {@link RoutingPolicy#route} only reads
 * arrays. Immutable; the server swaps a new one in atomically, the simulator builds one per event.
 *
 * <p>Odd inputs never throw: a pool that is unhealthy, has no replicas, no curve for the model, or
 * a NaN/negative price gets an infinite or NaN prediction, which every policy treats as infeasible.
 */
public final class PoolSnapshot {

  private final long nowNanos;
  private final PoolView[] pools;
  private final int modelCount;
  private final @Nullable ServiceCurve[] curves; // [pool * modelCount + model]
  private final double[] queueWaitNanos; // [pool * modelCount + model]
  private final double[] fixedNanos; // overhead + residual, per pool
  private final int[] queuedRowsPerReplica;
  private final double[] loadPerReplica; // (queued rows + in flight) / replicas; +Inf if unavailable
  private final double[] pricePerSecond;
  private final boolean[] available;

  private PoolSnapshot(long nowNanos, List<PoolView> views, List<@Nullable ServiceCurve[]> curvesByPool) {
    this.nowNanos = nowNanos;
    this.pools = views.toArray(new PoolView[0]);
    int models = 0;
    for (@Nullable ServiceCurve[] byModel : curvesByPool) {
      models = Math.max(models, byModel.length);
    }
    this.modelCount = models;
    int n = pools.length;
    this.curves = new ServiceCurve[n * models];
    this.queueWaitNanos = new double[n * models];
    this.fixedNanos = new double[n];
    this.queuedRowsPerReplica = new int[n];
    this.loadPerReplica = new double[n];
    this.pricePerSecond = new double[n];
    this.available = new boolean[n];
    for (int p = 0; p < n; p++) {
      PoolView pool = pools[p];
      boolean up = pool.healthy() && pool.replicas() > 0;
      long queued = Math.max(0, pool.queuedRows());
      available[p] = up;
      fixedNanos[p] = (double) Math.max(0, pool.overheadNanos()) + pool.residualNanos();
      queuedRowsPerReplica[p] = up ? (int) Math.min(Integer.MAX_VALUE, queued / pool.replicas()) : 0;
      loadPerReplica[p] =
          up ? (queued + Math.max(0, pool.inFlight())) / (double) pool.replicas() : Double.POSITIVE_INFINITY;
      pricePerSecond[p] = pool.pricePerHour() >= 0 ? pool.pricePerHour() / 3600.0 : Double.NaN;
      @Nullable ServiceCurve[] byModel = curvesByPool.get(p);
      for (int m = 0; m < models; m++) {
        ServiceCurve curve = m < byModel.length ? byModel[m] : null;
        int i = p * models + m;
        curves[i] = curve;
        if (!up || curve == null || !(curve.drainRowsPerSecond() > 0)) {
          queueWaitNanos[i] = Double.POSITIVE_INFINITY;
        } else {
          queueWaitNanos[i] = queued * 1e9 / (curve.drainRowsPerSecond() * pool.replicas());
        }
      }
    }
  }

  public static Builder builder(long nowNanos) {
    return new Builder(nowNanos);
  }

  /** A snapshot with no pools: every policy sheds. */
  public static PoolSnapshot empty(long nowNanos) {
    return builder(nowNanos).build();
  }

  public long nowNanos() {
    return nowNanos;
  }

  public int size() {
    return pools.length;
  }

  public PoolView pool(int pool) {
    return pools[pool];
  }

  /** Index of the pool with that id, or -1 (admission turns that into INVALID_ARGUMENT). */
  public int indexOf(String poolId) {
    for (int p = 0; p < pools.length; p++) {
      if (pools[p].id().equals(poolId)) {
        return p;
      }
    }
    return -1;
  }

  public int modelCount() {
    return modelCount;
  }

  /** The pool's curve for the model, or null when the pool has no profile for it. */
  public @Nullable ServiceCurve curve(int pool, int model) {
    return model < modelCount ? curves[pool * modelCount + model] : null;
  }

  /** Healthy with at least one replica. */
  public boolean isAvailable(int pool) {
    return available[pool];
  }

  /** Rows ahead of a new request divided by the drain rate at current replicas; +Inf if unknown. */
  public double queueWaitNanos(int pool, int model) {
    return model < modelCount ? queueWaitNanos[pool * modelCount + model] : Double.POSITIVE_INFINITY;
  }

  /** (Queued rows + in flight) per replica: the baselines' load measure; +Inf if unavailable. */
  public double loadPerReplica(int pool) {
    return loadPerReplica[pool];
  }

  /**
   * Predicted latency of {@code rows} rows of the model on the pool: queue wait + service time at
   * the batch it will likely join (its rows plus those queued ahead on one replica, capped at the
   * max batch) + observed overhead + residual correction. +Inf or NaN when it cannot be predicted.
   */
  public double predictedLatencyNanos(int pool, int model, int rows) {
    if (model >= modelCount) {
      return Double.POSITIVE_INFINITY;
    }
    int i = pool * modelCount + model;
    double wait = queueWaitNanos[i];
    ServiceCurve curve = curves[i];
    if (curve == null || wait == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    int likelyBatch = rows <= curve.maxBatch()
        ? (int) Math.min(curve.maxBatch(), (long) rows + queuedRowsPerReplica[pool])
        : rows;
    double predicted = wait + curve.serviceNanos(likelyBatch) + fixedNanos[pool];
    return predicted < 0 ? 0 : predicted;
  }

  /**
   * Dollars per inference on the pool at the best throughput within the tier's budget: hourly
   * price / 3600 / that throughput. +Inf when no batch meets the budget, NaN for an odd price.
   */
  public double costPerInference(int pool, int model, Tier tier) {
    ServiceCurve curve = curve(pool, model);
    if (curve == null) {
      return Double.POSITIVE_INFINITY;
    }
    double throughput = curve.maxThroughput(tier);
    return throughput > 0 ? pricePerSecond[pool] / throughput : Double.POSITIVE_INFINITY;
  }

  @Override
  public String toString() {
    return "PoolSnapshot{nowNanos=" + nowNanos + ", pools=" + Arrays.toString(pools) + '}';
  }

  /** Collects pools and their per-model curves. */
  public static final class Builder {
    private final long nowNanos;
    private final List<PoolView> views = new ArrayList<>();
    private final List<@Nullable ServiceCurve[]> curves = new ArrayList<>();

    private Builder(long nowNanos) {
      this.nowNanos = nowNanos;
    }

    /**
     * Adds a pool; {@code curvesByModel[m]} is its curve for model index m, null (or missing) when
     * it has no profile for that model, which makes it a fallback-only pool for the model.
     */
    public Builder add(PoolView pool, @Nullable ServiceCurve... curvesByModel) {
      views.add(pool);
      curves.add(curvesByModel.clone());
      return this;
    }

    public PoolSnapshot build() {
      return new PoolSnapshot(nowNanos, views, curves);
    }
  }
}
