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
