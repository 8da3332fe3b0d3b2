package dev.yardmaster.sim;

import java.util.Arrays;

/**
 * Requests of one model in arrival order: arrival time, tier index (into the scenario's tier list)
 * and rows. Immutable; arrays are copied in and never handed out.
 */
public final class Trace {

  private final String description;
  private final long durationNanos;
  private final long[] atNanos;
  private final byte[] tiers;
  private final int[] rows;

  /**
   * @param description how the trace was made, for reports
   * @param durationNanos simulated time the trace covers (the billed time)
   * @param atNanos arrival times, non-decreasing, each in [0, durationNanos)
   * @param tiers tier index of each request
   * @param rows rows of each request, each >= 1
   */
  public Trace(String description, long durationNanos, long[] atNanos, byte[] tiers, int[] rows) {
    if (atNanos.length != tiers.length || atNanos.length != rows.length) {
      throw new IllegalArgumentException("tiers/rows length: " + tiers.length + "/" + rows.length
          + " (expected: " + atNanos.length + ", the request count)");
    }
    if (durationNanos <= 0) {
      throw new IllegalArgumentException("durationNanos: " + durationNanos + " (expected: > 0)");
    }
    for (int i = 0; i < atNanos.length; i++) {
      if (atNanos[i] < 0 || (i > 0 && atNanos[i] < atNanos[i - 1])) {
        throw new IllegalArgumentException(
            "atNanos[" + i + "]: " + atNanos[i] + " (expected: >= 0 and non-decreasing)");
      }
      if (rows[i] < 1) {
        throw new IllegalArgumentException("rows[" + i + "]: " + rows[i] + " (expected: >= 1)");
      }
    }
    this.description = description;
    this.durationNanos = durationNanos;
    this.atNanos = atNanos.clone();
    this.tiers = tiers.clone();
    this.rows = rows.clone();
  }

  public String description() {
    return description;
  }

  public long durationNanos() {
    return durationNanos;
  }

  public int size() {
    return atNanos.length;
  }

  public long atNanos(int request) {
    return atNanos[request];
  }

  public int tier(int request) {
    return tiers[request];
  }

  public int rows(int request) {
    return rows[request];
  }

  /**
   * The requests arriving in {@code [startNanos, endNanos)}, shifted to start at 0, as a trace of
   * length {@code endNanos - startNanos}.
   */
  public Trace slice(long startNanos, long endNanos) {
    int from = firstAtOrAfter(startNanos);
    int to = firstAtOrAfter(endNanos);
    long[] at = Arrays.copyOfRange(atNanos, from, to);
    for (int i = 0; i < at.length; i++) {
      at[i] -= startNanos;
    }
    return new Trace(description + String.format(" [%.1f s, %.1f s)", startNanos / 1e9, endNanos / 1e9),
        endNanos - startNanos, at, Arrays.copyOfRange(tiers, from, to), Arrays.copyOfRange(rows, from, to));
  }

  private int firstAtOrAfter(long nanos) {
    int low = 0;
    int high = atNanos.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (atNanos[mid] < nanos) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Requests per tier index, for {@code tierCount} tiers. */
  public long[] requestsByTier(int tierCount) {
    long[] counts = new long[tierCount];
    for (byte tier : tiers) {
      counts[tier]++;
    }
    return counts;
  }

  public long totalRows() {
    long total = 0;
    for (int r : rows) {
      total += r;
    }
    return total;
  }

  /** Rows per second in consecutive buckets of {@code bucketNanos} covering the duration. */
  public double[] rowsPerSecond(long bucketNanos) {
    int buckets = (int) Math.max(1, (durationNanos + bucketNanos - 1) / bucketNanos);
    double[] load = new double[buckets];
    for (int i = 0; i < atNanos.length; i++) {
      load[(int) Math.min(buckets - 1, atNanos[i] / bucketNanos)] += rows[i];
    }
    for (int b = 0; b < buckets; b++) {
      load[b] = load[b] * 1e9 / bucketNanos;
    }
    return load;
  }

  @Override
  public String toString() {
    return "Trace{" + description + ", requests=" + atNanos.length + ", durationNanos=" + durationNanos
        + ", first=" + Arrays.toString(Arrays.copyOf(atNanos, Math.min(3, atNanos.length))) + '}';
  }
}
