package dev.yardmaster.router.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * All pools as routing sees them at {@link #nowNanos()}, with every per-(pool, model) fact that
 * does not depend on the request computed once here, so {@link RoutingPolicy#route} only reads
 * arrays. A snapshot from {@link #builder} is immutable (the simulator builds one per event); one
 * from a {@link Reusable} is rewritten in place by its owner thread for each request, so the
 * server's routing allocates nothing.
 *
 * <p>Odd inputs never throw: a pool that is unhealthy, has no replicas, no curve for the model, or
 * a NaN/negative price gets an infinite or NaN prediction, which every policy treats as infeasible.
 */
public final class PoolSnapshot {

  private long nowNanos;
  private final int size;
  private final int modelCount;
  private final String[] ids;
  private final AcceleratorKind[] accelerators;
  private final double[] pricePerHour;
  private final int[] replicas;
  private final boolean[] healthy;
  private final long[] queuedRows;
  private final int[] inFlight;
  private final long[] overheadNanos;
  private final long[] residualNanos;
  private final long[] tailLatenessNanos;
  private final @Nullable ServiceCurve[] curves; // [pool * modelCount + model]
  private final double[] queueWaitNanos; // [pool * modelCount + model]
  private final double[] fixedNanos; // overhead + residual, per pool
  private final int[] queuedRowsPerReplica;
  private final double[] loadPerReplica; // (queued rows + in flight) / replicas; +Inf if unavailable
  private final double[] pricePerSecond;
  private final boolean[] available;

  private PoolSnapshot(long nowNanos, int size, int modelCount) {
    this.nowNanos = nowNanos;
    this.size = size;
    this.modelCount = modelCount;
    this.ids = new String[size];
    this.accelerators = new AcceleratorKind[size];
    this.pricePerHour = new double[size];
    this.replicas = new int[size];
    this.healthy = new boolean[size];
    this.queuedRows = new long[size];
    this.inFlight = new int[size];
    this.overheadNanos = new long[size];
    this.residualNanos = new long[size];
    this.tailLatenessNanos = new long[size];
    this.curves = new ServiceCurve[size * modelCount];
    this.queueWaitNanos = new double[size * modelCount];
    this.fixedNanos = new double[size];
    this.queuedRowsPerReplica = new int[size];
    this.loadPerReplica = new double[size];
    this.pricePerSecond = new double[size];
    this.available = new boolean[size];
  }

  /** Sets pool {@code p} and everything derived from it; {@code curvesByModel} may be shorter than the model count. */
  private void fill(int p, String id, AcceleratorKind accelerator, double price, int replicaCount,
      boolean isHealthy, long queued, int requestsInFlight, long overhead, long residual, long tailLateness,
      @Nullable ServiceCurve @Nullable [] curvesByModel, @Nullable ServiceCurve onlyCurve) {
    ids[p] = id;
    accelerators[p] = accelerator;
    pricePerHour[p] = price;
    replicas[p] = replicaCount;
    healthy[p] = isHealthy;
    queuedRows[p] = queued;
    inFlight[p] = requestsInFlight;
    overheadNanos[p] = overhead;
    residualNanos[p] = residual;
    tailLatenessNanos[p] = Math.max(0, tailLateness);
    boolean up = isHealthy && replicaCount > 0;
    long queuedNow = Math.max(0, queued);
    available[p] = up;
    fixedNanos[p] = (double) Math.max(0, overhead) + residual;
    queuedRowsPerReplica[p] = up ? (int) Math.min(Integer.MAX_VALUE, queuedNow / replicaCount) : 0;
    loadPerReplica[p] =
        up ? (queuedNow + Math.max(0, requestsInFlight)) / (double) replicaCount : Double.POSITIVE_INFINITY;
    pricePerSecond[p] = price >= 0 ? price / 3600.0 : Double.NaN;
    for (int m = 0; m < modelCount; m++) {
      ServiceCurve curve = curvesByModel == null ? onlyCurve
          : m < curvesByModel.length ? curvesByModel[m] : null;
      int i = p * modelCount + m;
      curves[i] = curve;
      if (!up || curve == null || !(curve.drainRowsPerSecond() > 0)) {
        queueWaitNanos[i] = Double.POSITIVE_INFINITY;
      } else {
        queueWaitNanos[i] = queuedNow * 1e9 / (curve.drainRowsPerSecond() * replicaCount);
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
    return size;
  }

  /** The pool's facts as a value (a new record: off the hot path, which reads the accessors below). */
  public PoolView pool(int pool) {
    return new PoolView(ids[pool], accelerators[pool], pricePerHour[pool], replicas[pool], healthy[pool],
        queuedRows[pool], inFlight[pool], overheadNanos[pool], residualNanos[pool], tailLatenessNanos[pool]);
  }

  public String id(int pool) {
    return ids[pool];
  }

  public AcceleratorKind accelerator(int pool) {
    return accelerators[pool];
  }

  public int replicas(int pool) {
    return replicas[pool];
  }

  public long queuedRows(int pool) {
    return queuedRows[pool];
  }

  public int inFlight(int pool) {
    return inFlight[pool];
  }

  public long residualNanos(int pool) {
    return residualNanos[pool];
  }

  /** How much later than predicted the pool's recent answers of the tier being routed came at their tail; >= 0. */
  public long tailLatenessNanos(int pool) {
    return tailLatenessNanos[pool];
  }

  /** Index of the pool with that id, or -1 (admission turns that into INVALID_ARGUMENT). */
  public int indexOf(String poolId) {
    for (int p = 0; p < size; p++) {
      if (ids[p].equals(poolId)) {
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
    PoolView[] views = new PoolView[size];
    for (int p = 0; p < size; p++) {
      views[p] = pool(p);
    }
    return "PoolSnapshot{nowNanos=" + nowNanos + ", pools=" + Arrays.toString(views) + '}';
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
      int models = 0;
      for (@Nullable ServiceCurve[] byModel : curves) {
        models = Math.max(models, byModel.length);
      }
      PoolSnapshot snapshot = new PoolSnapshot(nowNanos, views.size(), models);
      for (int p = 0; p < views.size(); p++) {
        PoolView v = views.get(p);
        snapshot.fill(p, v.id(), v.accelerator(), v.pricePerHour(), v.replicas(), v.healthy(), v.queuedRows(),
            v.inFlight(), v.overheadNanos(), v.residualNanos(), v.tailLatenessNanos(), curves.get(p), null);
      }
      return snapshot;
    }
  }

  /**
   * One snapshot of a fixed pool count and one model (index 0: the request's), rewritten in place
   * for each request: {@link #begin}, then {@link #set} every pool, then route on
   * {@link #snapshot()}. Not thread-safe: keep one per thread. Routing cost then does not grow
   * with the number of models the router knows.
   */
  public static final class Reusable {
    private final PoolSnapshot snapshot;

    public Reusable(int pools) {
      this.snapshot = new PoolSnapshot(0, pools, 1);
    }

    public int size() {
      return snapshot.size;
    }

    /** Starts the snapshot of {@code nowNanos}; every pool must be {@link #set} before routing. */
    public Reusable begin(long nowNanos) {
      snapshot.nowNanos = nowNanos;
      return this;
    }

    /** Sets pool {@code pool} as {@link PoolView} describes the fields; {@code curve} null: no profile. */
    public Reusable set(int pool, String id, AcceleratorKind accelerator, double pricePerHour, int replicas,
        boolean healthy, long queuedRows, int inFlight, long overheadNanos, long residualNanos,
        long tailLatenessNanos, @Nullable ServiceCurve curve) {
      snapshot.fill(pool, id, accelerator, pricePerHour, replicas, healthy, queuedRows, inFlight, overheadNanos,
          residualNanos, tailLatenessNanos, null, curve);
      return this;
    }

    public PoolSnapshot snapshot() {
      return snapshot;
    }
  }
}
