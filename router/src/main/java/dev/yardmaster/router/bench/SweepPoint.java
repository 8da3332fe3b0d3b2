package dev.yardmaster.router.bench;

import dev.yardmaster.profiler.load.LoadResult;

/**
 * One measured point of a serving sweep.
 *
 * @param model the model served, or {@value ServingSweep#ECHO_LABEL} for the bare echo RPC
 * @param concurrency closed-loop streams
 * @param batching whether the model had its dynamic batcher (false for echo)
 * @param result what the load driver measured
 */
public record SweepPoint(String model, int concurrency, boolean batching, LoadResult result) {

  /** Successful inferences (rows) per second. */
  public double inferencesPerSecond() {
    return result.inferencesPerSecond();
  }
}
