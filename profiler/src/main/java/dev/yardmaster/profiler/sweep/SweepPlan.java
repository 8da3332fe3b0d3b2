package dev.yardmaster.profiler.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to measure at each target and how: the batch x concurrency grid, the load mode, and the
 * stability rule (perf_analyzer's: measurement windows repeat until {@code stableWindows}
 * consecutive windows' throughputs are within {@code tolerance} of their mean, or the point's time
 * cap passes).
 *
 * @param batches rows per request; empty means powers of two up to the model's max_batch_size
 * @param concurrencies closed loop: streams; fixed rate: the cap on outstanding requests
 * @param mode closed loop or fixed rate
 * @param requestsPerSecond fixed rate only: requests sent per second at every point
 * @param warmUp unrecorded load before a point's first window
 * @param window one measurement window
 * @param stableWindows consecutive windows that must agree
 * @param tolerance how far (fraction of their mean) agreeing windows' throughputs may be apart
 * @param pointCap most time spent on one point, warm-up included; the point is then reported unstable
 * @param deadline per-request gRPC deadline
 * @param seed seed of the generated input data
 */
public record SweepPlan(
    List<Integer> batches,
    List<Integer> concurrencies,
    Mode mode,
    double requestsPerSecond,
    Duration warmUp,
    Duration window,
    int stableWindows,
    double tolerance,
    Duration pointCap,
    Duration deadline,
    long seed) {

  /** How load is offered. */
  public enum Mode {
    /** Each stream sends its next request when the previous one completes. */
    CLOSED_LOOP,
    /** Requests arrive at a fixed rate, whatever the server does. */
    FIXED_RATE
  }

  /** The default concurrencies: 1, 2, 4, ..., 64. */
  public static final List<Integer> DEFAULT_CONCURRENCIES = powersOfTwo(64);

  /** Validates every field. */
  public SweepPlan {
    batches = List.copyOf(batches);
    concurrencies = List.copyOf(concurrencies);
    for (int batch : batches) {
      if (batch < 1) {
        throw new IllegalArgumentException("batches: " + batch + " (expected: >= 1)");
      }
    }
    if (concurrencies.isEmpty()) {
      throw new IllegalArgumentException("concurrencies: [] (expected: at least one)");
    }
    for (int concurrency : concurrencies) {
      if (concurrency < 1 || concurrency > 4096) {
        throw new IllegalArgumentException("concurrencies: " + concurrency + " (expected: >= 1 and <= 4096)");
      }
    }
    if (mode == Mode.FIXED_RATE && !(requestsPerSecond > 0)) {
      throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: > 0 in fixed-rate mode)");
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: >= 0)");
    }
    if (window.toMillis() < 50) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 50ms)");
    }
    if (stableWindows < 1) {
      throw new IllegalArgumentException("stableWindows: " + stableWindows + " (expected: >= 1)");
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: > 0 and < 1)");
    }
    if (pointCap.compareTo(warmUp.plus(window)) < 0) {
      throw new IllegalArgumentException(
          "pointCap: " + pointCap + " (expected: >= warmUp + window = " + warmUp.plus(window) + ")");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
    }
  }

  /**
   * The default plan: batches from the model, concurrency 1..64, closed loop, 0.5 s warm-up, 0.5 s
   * windows, three within 10%, at most 5 s per point: a 7 x 7 grid in well under three minutes.
   */
  public static SweepPlan defaults() {
    return new SweepPlan(List.of(), DEFAULT_CONCURRENCIES, Mode.CLOSED_LOOP, 0, Duration.ofMillis(500),
        Duration.ofMillis(500), 3, 0.10, Duration.ofSeconds(5), Duration.ofSeconds(10), 42L);
  }

  /** A short plan for tests and smoke runs: 0.2 s warm-up, 0.25 s windows, 1.5 s per point. */
  public static SweepPlan quick(List<Integer> batches, List<Integer> concurrencies) {
    return new SweepPlan(batches, concurrencies, Mode.CLOSED_LOOP, 0, Duration.ofMillis(200),
        Duration.ofMillis(250), 3, 0.10, Duration.ofMillis(1500), Duration.ofSeconds(5), 42L);
  }

  /** This plan with other batches. */
  public SweepPlan withBatches(List<Integer> newBatches) {
    return new SweepPlan(newBatches, concurrencies, mode, requestsPerSecond, warmUp, window, stableWindows,
        tolerance, pointCap, deadline, seed);
  }

  /** This plan with other concurrencies. */
  public SweepPlan withConcurrencies(List<Integer> newConcurrencies) {
    return new SweepPlan(batches, newConcurrencies, mode, requestsPerSecond, warmUp, window, stableWindows,
        tolerance, pointCap, deadline, seed);
  }

  /** This plan in fixed-rate mode at {@code rate} requests per second. */
  public SweepPlan fixedRate(double rate) {
    return new SweepPlan(batches, concurrencies, Mode.FIXED_RATE, rate, warmUp, window, stableWindows,
        tolerance, pointCap, deadline, seed);
  }

  /** The batches to measure for a model with {@code maxBatchSize} (0: the model does not batch). */
  public List<Integer> batchesFor(int maxBatchSize) {
    if (!batches.isEmpty()) {
      return batches;
    }
    return powersOfTwo(Math.max(1, maxBatchSize));
  }

  /** 1, 2, 4, ... up to and including {@code max} (and {@code max} itself when not a power of two). */
  public static List<Integer> powersOfTwo(int max) {
    List<Integer> values = new ArrayList<>();
    for (int value = 1; value <= max; value *= 2) {
      values.add(value);
    }
    if (values.get(values.size() - 1) != max) {
      values.add(max);
    }
    return List.copyOf(values);
  }

  /** Parses a comma-separated list of positive integers, e.g. {@code 1,4,16}. */
  public static List<Integer> parseList(String field, String text) {
    List<Integer> values = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        int value = Integer.parseInt(part.trim());
        if (value < 1) {
          throw new NumberFormatException();
        }
        values.add(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + ": '" + text + "' (expected: comma-separated integers >= 1)", e);
      }
    }
    return List.copyOf(values);
  }
}
