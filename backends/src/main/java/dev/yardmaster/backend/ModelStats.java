package dev.yardmaster.backend;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics of one model version with Triton's meaning: request counts and durations
 * (success, fail, queue, compute input/infer/output), inference count (rows), execution count
 * (model runs) and per-batch-size execution statistics. Hot counters are {@link LongAdder}s.
 */
public final class ModelStats {

  /** A count and a total duration, as Triton's StatisticDuration. */
  public static final class Duration {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long durationNanos) {
      count.increment();
      nanos.add(durationNanos);
    }

    public long count() {
      return count.sum();
    }

    public long nanos() {
      return nanos.sum();
    }
  }

  /**
   * Why a request failed, Triton's {@code reason} label of {@code nv_inference_request_failure}
   * (core infer_stats.cc failureReasonToString): its queue timeout passed (REJECTED), its caller
   * cancelled it (CANCELED), the model's execution failed (BACKEND), anything else (OTHER).
   */
  public enum FailureReason { REJECTED, CANCELED, BACKEND, OTHER }

  /** Executions of one batch size. */
  public static final class BatchStats {
    private final Duration computeInput = new Duration();
    private final Duration computeInfer = new Duration();
    private final Duration computeOutput = new Duration();

    public Duration computeInput() {
      return computeInput;
    }

    public Duration computeInfer() {
      return computeInfer;
    }

    public Duration computeOutput() {
      return computeOutput;
    }
  }

  private final Duration success = new Duration();
  private final Duration fail = new Duration();
  private final LongAdder[] failuresByReason = new LongAdder[FailureReason.values().length];
  private final Duration queue = new Duration();
  private final Duration computeInput = new Duration();
  private final Duration computeInfer = new Duration();
  private final Duration computeOutput = new Duration();
  private final LongAdder inferenceCount = new LongAdder();
  private final LongAdder executionCount = new LongAdder();
  private volatile long lastInferenceMillis;
  private final ConcurrentHashMap<Integer, BatchStats> batchStats = new ConcurrentHashMap<>();

  public ModelStats() {
    for (int i = 0; i < failuresByReason.length; i++) {
      failuresByReason[i] = new LongAdder();
    }
  }

  /**
   * Records a request that succeeded.
   *
   * @param rows inferences in the request (its batch size; 1 for non-batching models)
   * @param totalNanos from arrival to response
   * @param queueNanos waiting in the scheduler queue
   * @param computeInputNanos preparing the inputs of the execution it joined
   * @param computeInferNanos running the execution it joined
   * @param computeOutputNanos extracting its outputs
   */
  public void recordSuccess(int rows, long totalNanos, long queueNanos, long computeInputNanos,
      long computeInferNanos, long computeOutputNanos) {
    success.add(totalNanos);
    queue.add(queueNanos);
    computeInput.add(computeInputNanos);
    computeInfer.add(computeInferNanos);
    computeOutput.add(computeOutputNanos);
    inferenceCount.add(rows);
  }

  /** Records a request that failed after it was accepted (validation or execution). */
  public void recordFailure(long totalNanos, FailureReason reason) {
    fail.add(totalNanos);
    failuresByReason[reason.ordinal()].increment();
  }

  /**
   * Records one model execution of {@code batchSize} rows. Only an execution moves the last
   * inference time, as Triton's InferenceStatsAggregator::UpdateInferBatchStatsWithDuration: a
   * request that fails leaves it where it was.
   */
  public void recordExecution(int batchSize, long computeInputNanos, long computeInferNanos,
      long computeOutputNanos) {
    lastInferenceMillis = System.currentTimeMillis();
    executionCount.increment();
    BatchStats stats = batchStats.computeIfAbsent(batchSize, size -> new BatchStats());
    stats.computeInput.add(computeInputNanos);
    stats.computeInfer.add(computeInferNanos);
    stats.computeOutput.add(computeOutputNanos);
  }

  public Duration success() {
    return success;
  }

  public Duration fail() {
    return fail;
  }

  /** Failed requests of one reason; {@link #fail()} counts them all. */
  public long failures(FailureReason reason) {
    return failuresByReason[reason.ordinal()].sum();
  }

  public Duration queue() {
    return queue;
  }

  public Duration computeInput() {
    return computeInput;
  }

  public Duration computeInfer() {
    return computeInfer;
  }

  public Duration computeOutput() {
    return computeOutput;
  }

  public long inferenceCount() {
    return inferenceCount.sum();
  }

  public long executionCount() {
    return executionCount.sum();
  }

  public long lastInferenceMillis() {
    return lastInferenceMillis;
  }

  /** Per batch size; a live view. */
  public Map<Integer, BatchStats> batchStats() {
    return java.util.Collections.unmodifiableMap(batchStats);
  }
}
