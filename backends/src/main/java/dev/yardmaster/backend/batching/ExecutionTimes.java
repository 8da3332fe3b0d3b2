package dev.yardmaster.backend.batching;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Recent execution times of one model version by batch size, as moving averages, so a scheduler
 * can predict how long a batch it is about to run will take. Updates race benignly: a lost sample
 * only slows the average down.
 */
final class ExecutionTimes {
  /** Weight of the newest sample: 1/8. */
  private static final int SMOOTHING_SHIFT = 3;

  /** Index: rows; 0 where nothing was measured yet. */
  private final AtomicLongArray averageNanos;

  ExecutionTimes(int maxBatchSize) {
    this.averageNanos = new AtomicLongArray(maxBatchSize + 1);
  }

  /** Adds one execution of {@code rows} rows that took {@code nanos}. */
  void record(int rows, long nanos) {
    if (rows < 1 || rows >= averageNanos.length()) {
      return;
    }
    long sample = Math.max(1, nanos);
    long old = averageNanos.get(rows);
    averageNanos.lazySet(rows, old == 0 ? sample : Math.max(1, old + ((sample - old) >> SMOOTHING_SHIFT)));
  }

  /**
   * The expected time of an execution of {@code rows} rows: the average of that size or, where it
   * was not measured, of the nearest larger size measured (a larger batch never runs faster);
   * {@code -1} when no such size was measured.
   */
  long predictNanos(int rows) {
    for (int size = Math.max(1, rows); size < averageNanos.length(); size++) {
      long average = averageNanos.get(size);
      if (average != 0) {
        return average;
      }
    }
    return -1;
  }
}
