package dev.yardmaster.router.bench;

import dev.yardmaster.profiler.load.LoadResult;

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
 */
public record SweepPoint(String model, int concurrency, boolean batching, LoadResult result,
    double cpuMicrosPerRequest) {

  /** A point without a CPU measurement. */
  public SweepPoint(String model, int concurrency, boolean batching, LoadResult result) {
    this(model, concurrency, batching, result, Double.NaN);
  }

  /** Successful inferences (rows) per second. */
  public double inferencesPerSecond() {
    return result.inferencesPerSecond();
  }
}
