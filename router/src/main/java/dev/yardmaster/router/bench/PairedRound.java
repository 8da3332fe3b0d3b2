package dev.yardmaster.router.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * One round of the compute-heavy model's paired measurements, taken back to back so the machine is
 * in the same state for all four: raw ONNX Runtime at batch 1 and at the largest batch, and the
 * served model at the top concurrency with batching off and on. Ratios taken within a round cancel
 * what a shared machine does between rounds (another tenant's memory traffic moved raw batch-1
 * throughput of wide_mlp between 1.9k and 3.1k rows/s on the same code).
 *
 * @param round 1-based
 * @param rawBatch1 raw ONNX Runtime at batch 1
 * @param rawBatchMax raw ONNX Runtime at the largest batch
 * @param servedOff served, batching off, top concurrency
 * @param servedOn served, batching on, top concurrency
 * @param rawAtServedBatch raw ONNX Runtime at the batch the server executed with batching on
 *     (its ModelStatistics, rounded), measured right after it; null when the server did not say
 */
public record PairedRound(int round, RawPoint rawBatch1, RawPoint rawBatchMax, SweepPoint servedOff,
    SweepPoint servedOn, @Nullable RawPoint rawAtServedBatch) {

  /** A round without the raw point at the served batch. */
  public PairedRound(int round, RawPoint rawBatch1, RawPoint rawBatchMax, SweepPoint servedOff, SweepPoint servedOn) {
    this(round, rawBatch1, rawBatchMax, servedOff, servedOn, null);
  }

  /** Served batching on over off: the batching speed-up. */
  public double batchingSpeedUp() {
    return ratio(servedOn.inferencesPerSecond(), servedOff.inferencesPerSecond());
  }

  /** Served batching on over raw ONNX Runtime at the largest batch: what serving keeps. */
  public double servedOverRaw() {
    return ratio(servedOn.inferencesPerSecond(), rawBatchMax.rowsPerSecond());
  }

  /**
   * Served batching on over raw ONNX Runtime at the batch the server really executed: what serving
   * keeps of the compute at its own batch size; NaN without that raw point.
   */
  public double servedOverRawAtServedBatch() {
    return rawAtServedBatch == null ? Double.NaN
        : ratio(servedOn.inferencesPerSecond(), rawAtServedBatch.rowsPerSecond());
  }

  /*
   * servedOverRaw() is the product of three factors, each measured in the round (exactly when the
   * server's mean batch is a whole number, as the raw point's batch is its rounding):
   * instanceBusy() x computeSpeedUnderLoad() x batchShape(). Only the first is the serving path's
   * own doing; the other two say what the load and the machine leave it.
   */

  /**
   * The share of the served point's wall time the model instance spent executing (served rows/s
   * times the server's mean execution time over its mean batch): what the batcher and the response
   * path leave of the instance (the bench serves one instance); 1 is an instance that never waits.
   * NaN without the server's per-execution time.
   */
  public double instanceBusy() {
    double executionMs = servedOn.serverExecutionMs();
    double batch = servedOn.serverBatch();
    return Double.isNaN(executionMs) || !(batch > 0) ? Double.NaN
        : servedOn.inferencesPerSecond() * executionMs / 1e3 / batch;
  }

  /**
   * Raw ONNX Runtime's time per run at the served batch, alone, over the server's time per
   * execution under load: how fast the same computation ran while the serving path and the load
   * generator used the machine's other cores (below 1: slowed by what they do to shared caches,
   * memory bandwidth and the hypervisor). NaN without either.
   */
  public double computeSpeedUnderLoad() {
    double executionMs = servedOn.serverExecutionMs();
    return rawAtServedBatch == null || !(executionMs > 0) ? Double.NaN
        : rawAtServedBatch.meanRunMs() / executionMs;
  }

  /**
   * Raw ONNX Runtime's rows/s at the batch the server executed over its rows/s at the largest
   * batch: what the load's batch size is worth to this model on this CPU (64 closed-loop callers
   * leave one instance about half of them per batch). NaN without the raw point.
   */
  public double batchShape() {
    return rawAtServedBatch == null ? Double.NaN : ratio(rawAtServedBatch.rowsPerSecond(), rawBatchMax.rowsPerSecond());
  }

  /** Raw ONNX Runtime's own gain from batch 1 to the largest batch: the hardware's ceiling. */
  public double rawBatchingGain() {
    return ratio(rawBatchMax.rowsPerSecond(), rawBatch1.rowsPerSecond());
  }

  /** The median over rounds of one of their values; NaN for no rounds. */
  public static double median(List<PairedRound> rounds, ToDoubleFunction<PairedRound> value) {
    return Medians.of(rounds, value);
  }

  /** The smallest and largest over rounds of one of their values. */
  public static double[] range(List<PairedRound> rounds, ToDoubleFunction<PairedRound> value) {
    return Medians.range(rounds, value);
  }

  private static double ratio(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : 0.0;
  }
}
