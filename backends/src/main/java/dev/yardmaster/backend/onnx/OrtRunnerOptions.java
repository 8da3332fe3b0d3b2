package dev.yardmaster.backend.onnx;

/**
 * ONNX Runtime session settings for one model version.
 *
 * <p>The default is one intra-op and one inter-op thread per session: the instance group's count
 * then sets how many executions run in parallel, each on its own core, which is Triton's model and
 * avoids several sessions' thread pools fighting for the same cores. Raise {@code intraOpThreads}
 * for a compute-heavy model served with one instance.
 *
 * @param intraOpThreads threads one operator may use; 0 lets ORT pick (one per core)
 * @param interOpThreads threads for running independent operators at once; 0 lets ORT pick
 * @param preferCuda use the CUDA execution provider when this ORT build has it
 */
public record OrtRunnerOptions(int intraOpThreads, int interOpThreads, boolean preferCuda) {

  public OrtRunnerOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads: " + intraOpThreads + " (expected: >= 0)");
    }
    if (interOpThreads < 0) {
      throw new IllegalArgumentException("interOpThreads: " + interOpThreads + " (expected: >= 0)");
    }
  }

  /** One intra-op thread, one inter-op thread, CUDA when available. */
  public static OrtRunnerOptions defaults() {
    return new OrtRunnerOptions(1, 1, true);
  }

  public OrtRunnerOptions withIntraOpThreads(int threads) {
    return new OrtRunnerOptions(threads, interOpThreads, preferCuda);
  }

  /** These settings on the CPU provider only. */
  public OrtRunnerOptions cpuOnly() {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, false);
  }
}
