package dev.yardmaster.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Synthetic traces with a fixed seed: the same arguments give the same trace. Arrivals are a
 * (non-homogeneous) Poisson process, drawn by thinning: candidates at the peak rate, each kept
 * with probability rate(t) / peak; every kept request then draws its tier and rows.
 */
public final class TraceGenerators {

  private TraceGenerators() {}

  /** Poisson arrivals at a constant {@code requestsPerSecond}. */
  public static Trace poisson(
      double requestsPerSecond, long durationNanos, TierMix mix, RowRange rows, long seed) {
    requirePositive("rate", requestsPerSecond);
    return generate(String.format("poisson %.0f req/s", requestsPerSecond), durationNanos,
        requestsPerSecond, t -> requestsPerSecond, mix, rows, seed);
  }

  /**
   * One simulated day compressed into the duration: the rate goes from {@code troughPerSecond} at
   * the start (midnight) up to {@code peakPerSecond} half-way (noon) and back, as a raised cosine
   * {@code trough + (peak - trough) * (1 - cos(2 pi t / duration)) / 2}; the mean is their average.
   */
  public static Trace diurnal(double troughPerSecond, double peakPerSecond, long durationNanos,
      TierMix mix, RowRange rows, long seed) {
    requirePositive("trough rate", troughPerSecond);
    if (!(peakPerSecond >= troughPerSecond)) {
      throw new IllegalArgumentException(
          "peak rate: " + peakPerSecond + " (expected: >= trough rate " + troughPerSecond + ")");
    }
    double duration = durationNanos;
    return generate(String.format("diurnal %.0f..%.0f req/s", troughPerSecond, peakPerSecond),
        durationNanos, peakPerSecond,
        t -> troughPerSecond
            + (peakPerSecond - troughPerSecond) * (1 - Math.cos(2 * Math.PI * t / duration)) / 2,
        mix, rows, seed);
  }

  /**
   * On/off load: {@code offPerSecond} for {@code offNanos}, then {@code onPerSecond} for
   * {@code onNanos}, repeated.
   */
  public static Trace bursty(double offPerSecond, double onPerSecond, long offNanos, long onNanos,
      long durationNanos, TierMix mix, RowRange rows, long seed) {
    requirePositive("on rate", onPerSecond);
    if (!(offPerSecond >= 0)) {
      throw new IllegalArgumentException("off rate: " + offPerSecond + " (expected: >= 0)");
    }
    if (offNanos <= 0 || onNanos <= 0) {
      throw new IllegalArgumentException(
          "on/off period: " + onNanos + "/" + offNanos + " ns (expected: > 0)");
    }
    long period = offNanos + onNanos;
    return generate(String.format("bursty %.0f/%.0f req/s", offPerSecond, onPerSecond),
        durationNanos, Math.max(onPerSecond, offPerSecond),
        t -> ((long) t % period) < offNanos ? offPerSecond : onPerSecond, mix, rows, seed);
  }

  private static Trace generate(String description, long durationNanos, double peakPerSecond,
      DoubleUnaryOperator ratePerSecondAt, TierMix mix, RowRange rowRange, long seed) {
    if (durationNanos <= 0) {
      throw new IllegalArgumentException("duration: " + durationNanos + " ns (expected: > 0)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, peakPerSecond * durationNanos / 1e9 * 1.1 + 16);
    long[] at = new long[capacity];
    byte[] tiers = new byte[capacity];
    int[] rows = new int[capacity];
    int n = 0;
    double meanGapNanos = 1e9 / peakPerSecond;
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) * meanGapNanos;
      if (t >= durationNanos) {
        break;
      }
      if (random.nextDouble() * peakPerSecond >= ratePerSecondAt.applyAsDouble(t)) {
        continue;
      }
      if (n == at.length) {
        int grown = Math.min(Integer.MAX_VALUE - 8, at.length * 2);
        at = Arrays.copyOf(at, grown);
        tiers = Arrays.copyOf(tiers, grown);
        rows = Arrays.copyOf(rows, grown);
      }
      at[n] = (long) t;
      tiers[n] = (byte) mix.sample(random);
      rows[n] = rowRange.sample(random);
      n++;
    }
    return new Trace(description + ", seed " + seed, durationNanos, Arrays.copyOf(at, n),
        Arrays.copyOf(tiers, n), Arrays.copyOf(rows, n));
  }

  private static void requirePositive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: > 0 and finite)");
    }
  }
}
