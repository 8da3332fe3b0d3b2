package dev.yardmaster.backend.emulated;

import java.util.ArrayList;
import java.util.List;

/**
 * An accelerator as data: how long one execution of a batch takes on it, and how many executions
 * it runs at once. The curve is linear between its points, flat below the first and extended
 * along its last segment above the last (a single point is flat everywhere).
 *
 * @param name e.g. {@code gpu-a10g}; shown in runner kinds, metadata and logs
 * @param accelerator the accelerator kind label: {@code gpu}, {@code inferentia} or {@code cpu}
 * @param latency (batch, latency) points, strictly increasing batch sizes
 * @param maxConcurrentExecutions executions the device runs at once, >= 1
 * @param source where the numbers come from (a measurement, a published figure or an assumption)
 */
public record AcceleratorProfile(
    String name, String accelerator, List<LatencyPoint> latency, int maxConcurrentExecutions, String source) {

  public AcceleratorProfile {
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: letters, digits, '.', '_' or '-')");
    }
    if (accelerator.isBlank()) {
      throw new IllegalArgumentException("accelerator: '' (expected: e.g. gpu, inferentia or cpu)");
    }
    if (latency.isEmpty()) {
      throw new IllegalArgumentException("latency: [] (expected: at least one (batch, latency) point)");
    }
    for (int i = 1; i < latency.size(); i++) {
      if (latency.get(i).batch() <= latency.get(i - 1).batch()) {
        throw new IllegalArgumentException("latency[" + i + "].batch: " + latency.get(i).batch()
            + " (expected: > " + latency.get(i - 1).batch() + ", batches strictly increasing)");
      }
    }
    if (maxConcurrentExecutions < 1) {
      throw new IllegalArgumentException("maxConcurrentExecutions: " + maxConcurrentExecutions + " (expected: >= 1)");
    }
    latency = List.copyOf(latency);
  }

  /** A profile from alternating {@code batch, latencyMicros} pairs, e.g. {@code 1, 1200, 64, 1500}. */
  public static AcceleratorProfile of(String name, String accelerator, int maxConcurrentExecutions, String source,
      long... batchThenMicros) {
    if (batchThenMicros.length % 2 != 0) {
      throw new IllegalArgumentException("batchThenMicros: " + batchThenMicros.length
          + " values (expected: pairs of batch, latency micros)");
    }
    List<LatencyPoint> points = new ArrayList<>();
    for (int i = 0; i < batchThenMicros.length; i += 2) {
      points.add(new LatencyPoint(Math.toIntExact(batchThenMicros[i]), batchThenMicros[i + 1]));
    }
    return new AcceleratorProfile(name, accelerator, points, maxConcurrentExecutions, source);
  }

  /** The execution latency of a batch of {@code rows} rows, in nanoseconds. */
  public long latencyNanos(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1)");
    }
    LatencyPoint first = latency.get(0);
    if (latency.size() == 1 || rows <= first.batch()) {
      return first.latencyMicros() * 1_000;
    }
    int upper = 1;
    while (upper < latency.size() - 1 && latency.get(upper).batch() < rows) {
      upper++;
    }
    LatencyPoint low = latency.get(upper - 1);
    LatencyPoint high = latency.get(upper);
    double micros = low.latencyMicros()
        + (double) (high.latencyMicros() - low.latencyMicros()) * (rows - low.batch()) / (high.batch() - low.batch());
    return Math.max(0, Math.round(micros * 1_000));
  }

  /**
   * One point of the latency curve.
   *
   * @param batch rows in the execution, >= 1
   * @param latencyMicros how long the execution takes on the device, >= 0
   */
  public record LatencyPoint(int batch, long latencyMicros) {
    public LatencyPoint {
      if (batch < 1) {
        throw new IllegalArgumentException("batch: " + batch + " (expected: >= 1)");
      }
      if (latencyMicros < 0) {
        throw new IllegalArgumentException("latencyMicros: " + latencyMicros + " (expected: >= 0)");
      }
    }
  }
}
