package dev.yardmaster.router.bench;

import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import org.jspecify.annotations.Nullable;

/**
 * One measured point of a serving sweep.
 *
 * @param model the model served, or {@value ServingSweep#ECHO_LABEL} for the bare echo RPC
 * @param concurrency closed-loop streams
 * @param batching whether the model had its dynamic batcher (false for echo)
 * @param result what the load driver measured
 * @param cpuMicrosPerRequest CPU time of the whole process (server and load generator) over the
 *     point's warm-up and measurement, per request completed in them; NaN when not measured. Less
 *     sensitive than throughput to other processes sharing the machine.
 * @param server the server's own statistics over the point (queue and compute time per request,
 *     the batch it really executed), from the ModelStatistics RPC; null for echo or when unread
 */
public record SweepPoint(String model, int concurrency, boolean batching, LoadResult result,
    double cpuMicrosPerRequest, @Nullable ServerSplit server) {

  /** A point without a CPU measurement. */
  public SweepPoint(String model, int concurrency, boolean batching, LoadResult result) {
    this(model, concurrency, batching, result, Double.NaN);
  }

  /** A point without server statistics. */
  public SweepPoint(String model, int concurrency, boolean batching, LoadResult result, double cpuMicrosPerRequest) {
    this(model, concurrency, batching, result, cpuMicrosPerRequest, null);
  }

  /** The mean batch the server executed over the point; NaN when unknown. */
  public double serverBatch() {
    return server == null ? Double.NaN : server.batch();
  }

  /** The mean wall time of one model execution on the server over the point; NaN when unknown. */
  public double serverExecutionMs() {
    return server == null || server.executionMs() == null ? Double.NaN : server.executionMs();
  }

  /** Successful inferences (rows) per second. */
  public double inferencesPerSecond() {
    return result.inferencesPerSecond();
  }
}
