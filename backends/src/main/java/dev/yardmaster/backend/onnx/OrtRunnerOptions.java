package dev.yardmaster.backend.onnx;

import org.jspecify.annotations.Nullable;

/**
 * ONNX Runtime session settings for one model version.
 *
 * <p>The default is one intra-op and one inter-op thread per session: the instance group's count
 * then sets how many executions run in parallel, each on its own core, which is Triton's model and
 * avoids several sessions' thread pools fighting for the same cores. Raise {@code intraOpThreads}
 * for a compute-heavy model served with one instance. A model's config {@code parameters} may
 * override these for that model ({@link OrtModelParameters}).
 *
 * @param intraOpThreads threads one operator may use; 0 lets ORT pick (one per core)
 * @param interOpThreads threads for running independent operators at once; 0 lets ORT pick
 * @param preferCuda use the CUDA execution provider when this ORT build has it
 * @param parallelExecution run independent operators in parallel (ORT's {@code ORT_PARALLEL});
 *     false is ORT's default, sequential
 * @param memArena whether the CPU memory arena is on; null leaves ORT's default (on)
 * @param memPattern whether memory pattern optimization is on; null leaves ORT's default (on)
 */
public record OrtRunnerOptions(int intraOpThreads, int interOpThreads, boolean preferCuda, boolean parallelExecution,
    @Nullable Boolean memArena, @Nullable Boolean memPattern) {

  public OrtRunnerOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads: " + intraOpThreads + " (expected: >= 0)");
    }
    if (interOpThreads < 0) {
      throw new IllegalArgumentException("interOpThreads: " + interOpThreads + " (expected: >= 0)");
    }
  }

  /** Thread counts and CUDA preference; ORT's defaults for the rest. */
  public OrtRunnerOptions(int intraOpThreads, int interOpThreads, boolean preferCuda) {
    this(intraOpThreads, interOpThreads, preferCuda, false, null, null);
  }

  /** One intra-op thread, one inter-op thread, CUDA when available. */
  public static OrtRunnerOptions defaults() {
    return new OrtRunnerOptions(1, 1, true);
  }

  public OrtRunnerOptions withIntraOpThreads(int threads) {
    return new OrtRunnerOptions(threads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern);
  }

  public OrtRunnerOptions withInterOpThreads(int threads) {
    return new OrtRunnerOptions(intraOpThreads, threads, preferCuda, parallelExecution, memArena, memPattern);
  }

  public OrtRunnerOptions withParallelExecution(boolean parallel) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallel, memArena, memPattern);
  }

  public OrtRunnerOptions withMemArena(boolean enabled) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, enabled, memPattern);
  }

  public OrtRunnerOptions withMemPattern(boolean enabled) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, enabled);
  }

  /** These settings on the CPU provider only. */
  public OrtRunnerOptions cpuOnly() {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, false, parallelExecution, memArena, memPattern);
  }
}
