package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One measured grid point: the means over the agreeing windows (percentiles are averaged per
 * window, as perf_analyzer does; {@code maxMs} is the largest of them).
 *
 * @param batch rows per request
 * @param concurrency streams or outstanding cap
 * @param throughput successful inferences (rows) per second
 * @param requestsPerSecond successful requests per second
 * @param p50Ms median latency
 * @param p90Ms 90th percentile
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param maxMs largest latency
 * @param meanMs mean latency
 * @param errors failed requests by gRPC status code name
 * @param windows measurement windows run
 * @param stable whether the last windows agreed before the time cap
 * @param server the server's queue/compute split over the same windows; null when the backend
 *     exposes no statistics
 */
public record PointResult(
    int batch,
    int concurrency,
    double throughput,
    double requestsPerSecond,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double meanMs,
    Map<String, Long> errors,
    int windows,
    boolean stable,
    @Nullable ServerSplit server) {

  /** Copies the errors, sorted. */
  public PointResult {
    errors = Map.copyOf(new TreeMap<>(errors));
  }

  /** All failed requests. */
  public long totalErrors() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The point as a profile grid point. */
  public GridPoint toGridPoint() {
    return new GridPoint(batch, concurrency, throughput, p50Ms, p90Ms, p95Ms, p99Ms, totalErrors(), maxMs,
        windows == 0 ? null : meanMs, server);
  }
}
