package dev.yardmaster.profiler.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model version measured on one backend and pool.
 *
 * @param modelVersion version label, e.g. "1"
 * @param backend backend kind: {@code onnxruntime}, {@code kserve} or {@code emulated}
 * @param pool pool name from the router config
 * @param instanceType e.g. {@code g5.xlarge}
 * @param accelerator {@code gpu}, {@code inferentia} or {@code cpu}
 * @param pricePerHour dollars per hour for one instance
 * @param grid the measured batch x concurrency points
 * @param derived facts computed from the grid; recomputed when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"model_version", "backend", "pool", "instance_type", "accelerator", "price_per_hour",
    "grid", "derived"})
public record ProfileEntry(
    @JsonProperty(value = "model_version", required = true) String modelVersion,
    @JsonProperty(value = "backend", required = true) String backend,
    @JsonProperty(value = "pool", required = true) String pool,
    @JsonProperty(value = "instance_type", required = true) String instanceType,
    @JsonProperty(value = "accelerator", required = true) String accelerator,
    @JsonProperty(value = "price_per_hour", required = true) double pricePerHour,
    @JsonProperty(value = "grid", required = true) List<GridPoint> grid,
    @JsonProperty("derived") @Nullable Derived derived) {

  public static final List<String> BACKENDS = List.of("onnxruntime", "kserve", "emulated");
  public static final List<String> ACCELERATORS = List.of("gpu", "inferentia", "cpu");

  public ProfileEntry {
    grid = List.copyOf(grid);
  }

  public ProfileEntry withDerived(@Nullable Derived facts) {
    return new ProfileEntry(modelVersion, backend, pool, instanceType, accelerator, pricePerHour, grid, facts);
  }

  /**
   * One measured point.
   *
   * @param batch rows per request
   * @param concurrency requests in flight
   * @param throughput inferences (rows) per second
   * @param errors failed requests during the measurement
   * @param maxMs largest latency measured; absent in files written before it was recorded
   * @param meanMs mean client-side latency; absent in schema 1 files
   * @param server the server's own queue/compute split (KServe v2 ModelStatistics); absent when the
   *     backend exposes no statistics, and in schema 1 files
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"batch", "concurrency", "throughput", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms",
      "mean_ms", "errors", "server"})
  public record GridPoint(
      @JsonProperty(value = "batch", required = true) int batch,
      @JsonProperty(value = "concurrency", required = true) int concurrency,
      @JsonProperty(value = "throughput", required = true) double throughput,
      @JsonProperty(value = "p50_ms", required = true) double p50Ms,
      @JsonProperty(value = "p90_ms", required = true) double p90Ms,
      @JsonProperty(value = "p95_ms", required = true) double p95Ms,
      @JsonProperty(value = "p99_ms", required = true) double p99Ms,
      @JsonProperty("errors") long errors,
      @JsonProperty("max_ms") @Nullable Double maxMs,
      @JsonProperty("mean_ms") @Nullable Double meanMs,
      @JsonProperty("server") @Nullable ServerSplit server) {

    @JsonCreator
    public GridPoint {}

    /** A point without a mean or server statistics. */
    public GridPoint(int batch, int concurrency, double throughput, double p50Ms, double p90Ms, double p95Ms,
        double p99Ms, long errors, @Nullable Double maxMs) {
      this(batch, concurrency, throughput, p50Ms, p90Ms, p95Ms, p99Ms, errors, maxMs, null, null);
    }

    /** A point without a recorded maximum. */
    public GridPoint(int batch, int concurrency, double throughput, double p50Ms, double p90Ms, double p95Ms,
        double p99Ms, long errors) {
      this(batch, concurrency, throughput, p50Ms, p90Ms, p95Ms, p99Ms, errors, null, null, null);
    }
  }

  /**
   * Where a request's time went on the server, from the difference of two KServe v2 / Triton
   * ModelStatistics readings taken around the point's measurement windows (Triton's meanings: each
   * request accrues its own queue time and the full input/infer/output time of the execution it
   * joined).
   *
   * @param queueMs mean time a request waited in the server's scheduler queue
   * @param computeMs mean compute time per request: compute_input + compute_infer + compute_output
   * @param batch mean rows per model execution (inference_count / execution_count): the batch the
   *     model really ran, after the server's dynamic batching
   * @param requests successful requests the server counted over the windows
   * @param executions model executions the server counted over the windows
   * @param executionMs mean wall time of one execution (compute_input + compute_infer +
   *     compute_output of the statistics' batch_stats, per execution rather than per request);
   *     null when the server keeps no batch_stats (and in files written before it was recorded)
   */
  @JsonPropertyOrder({"queue_ms", "compute_ms", "batch", "requests", "executions", "execution_ms"})
  public record ServerSplit(
      @JsonProperty(value = "queue_ms", required = true) double queueMs,
      @JsonProperty(value = "compute_ms", required = true) double computeMs,
      @JsonProperty(value = "batch", required = true) double batch,
      @JsonProperty(value = "requests", required = true) long requests,
      @JsonProperty(value = "executions", required = true) long executions,
      @JsonProperty("execution_ms") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Double executionMs) {

    /** A split without the per-execution time. */
    public ServerSplit(double queueMs, double computeMs, double batch, long requests, long executions) {
      this(queueMs, computeMs, batch, requests, executions, null);
    }

    /** Queue plus compute: the server's share of a request's latency. */
    public double serverMs() {
      return queueMs + computeMs;
    }
  }

  /**
   * What the grid implies.
   *
   * @param latencyFit p99 latency vs batch at concurrency 1, least squares; null with no c=1 point
   * @param tiers per tier: the best point within its budget
   * @param recommendation SageMaker-Inference-Recommender-like summary at the strictest budget
   * @param batching per tier: the dynamic batching config to serve it with; absent in older files
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"latency_fit", "tiers", "recommendation", "batching"})
  public record Derived(
      @JsonProperty("latency_fit") @Nullable LatencyFit latencyFit,
      @JsonProperty(value = "tiers", required = true) List<TierFacts> tiers,
      @JsonProperty("recommendation") @Nullable Recommendation recommendation,
      @JsonProperty("batching") @Nullable List<BatchingAdvice> batching) {

    @JsonCreator
    public Derived {
      tiers = List.copyOf(tiers);
      batching = batching == null ? null : List.copyOf(batching);
    }

    /** Derived facts without batching advice. */
    public Derived(@Nullable LatencyFit latencyFit, List<TierFacts> tiers, @Nullable Recommendation recommendation) {
      this(latencyFit, tiers, recommendation, null);
    }
  }

  /**
   * Triton's {@code dynamic_batching} settings for one tier: batch sizes to prefer and how long a
   * request may wait for a batch to fill, chosen so the p99 stays within the tier's budget.
   *
   * @param tier tier name
   * @param preferredBatchSizes {@code preferred_batch_size}, ascending; empty when nothing fits
   * @param maxQueueDelayMicros {@code max_queue_delay_microseconds}
   */
  @JsonPropertyOrder({"tier", "preferred_batch_sizes", "max_queue_delay_us"})
  public record BatchingAdvice(
      @JsonProperty(value = "tier", required = true) String tier,
      @JsonProperty(value = "preferred_batch_sizes", required = true) List<Integer> preferredBatchSizes,
      @JsonProperty(value = "max_queue_delay_us", required = true) long maxQueueDelayMicros) {

    public BatchingAdvice {
      preferredBatchSizes = List.copyOf(preferredBatchSizes);
    }
  }

  /** {@code p99_ms = intercept_ms + per_row_ms * batch} over {@code points} c=1 points. */
  @JsonPropertyOrder({"intercept_ms", "per_row_ms", "r_squared", "points"})
  public record LatencyFit(
      @JsonProperty(value = "intercept_ms", required = true) double interceptMs,
      @JsonProperty(value = "per_row_ms", required = true) double perRowMs,
      @JsonProperty(value = "r_squared", required = true) double rSquared,
      @JsonProperty(value = "points", required = true) int points) {

    public double latencyMs(int batch) {
      return interceptMs + perRowMs * batch;
    }
  }

  /**
   * The highest-throughput error-free point whose p99 is within the tier's budget; {@code batch}
   * 0 and no cost when none is.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"tier", "p99_budget_ms", "max_throughput", "batch", "concurrency", "p99_ms",
      "cost_per_million"})
  public record TierFacts(
      @JsonProperty(value = "tier", required = true) String tier,
      @JsonProperty("p99_budget_ms") @Nullable Double p99BudgetMs,
      @JsonProperty(value = "max_throughput", required = true) double maxThroughput,
      @JsonProperty("batch") int batch,
      @JsonProperty("concurrency") int concurrency,
      @JsonProperty("p99_ms") @Nullable Double p99Ms,
      @JsonProperty("cost_per_million") @Nullable Double costPerMillion) {}

  /**
   * What SageMaker Inference Recommender reports per instance type.
   *
   * @param costPerInference dollars per inference (CostPerInference)
   * @param maxInvocations requests per minute at that point (MaxInvocations)
   * @param modelLatencyMs median latency there (ModelLatency)
   * @param initialInstanceCount instances for the profile's target throughput (InitialInstanceCount)
   */
  @JsonPropertyOrder({"cost_per_inference", "max_invocations", "model_latency_ms", "initial_instance_count"})
  public record Recommendation(
      @JsonProperty(value = "cost_per_inference", required = true) double costPerInference,
      @JsonProperty(value = "max_invocations", required = true) double maxInvocations,
      @JsonProperty(value = "model_latency_ms", required = true) double modelLatencyMs,
      @JsonProperty(value = "initial_instance_count", required = true) int initialInstanceCount) {}
}
