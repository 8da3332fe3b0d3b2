package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param optimizationLevel ORT's graph optimization level; all optimizations by default, as ORT's
 * @param sessionConfig ORT session config entries ({@code AddSessionConfigEntry}), e.g.
 *     {@code session.use_device_allocator_for_initializers}
 * @param runConfig ORT run config entries given to every run ({@code AddRunConfigEntry}), e.g.
 *     {@code memory.enable_memory_arena_shrinkage}
 */
public record OrtRunnerOptions(int intraOpThreads, int interOpThreads, boolean preferCuda, boolean parallelExecution,
    @Nullable Boolean memArena, @Nullable Boolean memPattern, OptLevel optimizationLevel,
    Map<String, String> sessionConfig, Map<String, String> runConfig) {

  public OrtRunnerOptions {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads: " + intraOpThreads + " (expected: >= 0)");
    }
    if (interOpThreads < 0) {
      throw new IllegalArgumentException("interOpThreads: " + interOpThreads + " (expected: >= 0)");
    }
    sessionConfig = Map.copyOf(sessionConfig);
    runConfig = Map.copyOf(runConfig);
  }

  /** Thread counts, CUDA preference, execution mode and memory settings; ORT's defaults for the rest. */
  public OrtRunnerOptions(int intraOpThreads, int interOpThreads, boolean preferCuda, boolean parallelExecution,
      @Nullable Boolean memArena, @Nullable Boolean memPattern) {
    this(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern, OptLevel.ALL_OPT,
        Map.of(), Map.of());
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
    return new OrtRunnerOptions(threads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern,
        optimizationLevel, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withInterOpThreads(int threads) {
    return new OrtRunnerOptions(intraOpThreads, threads, preferCuda, parallelExecution, memArena, memPattern,
        optimizationLevel, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withParallelExecution(boolean parallel) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallel, memArena, memPattern,
        optimizationLevel, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withMemArena(boolean enabled) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, enabled, memPattern,
        optimizationLevel, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withMemPattern(boolean enabled) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, enabled,
        optimizationLevel, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withOptimizationLevel(OptLevel level) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern,
        level, sessionConfig, runConfig);
  }

  public OrtRunnerOptions withSessionConfigEntry(String key, String value) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern,
        optimizationLevel, with(sessionConfig, key, value), runConfig);
  }

  public OrtRunnerOptions withRunConfigEntry(String key, String value) {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, preferCuda, parallelExecution, memArena, memPattern,
        optimizationLevel, sessionConfig, with(runConfig, key, value));
  }

  /** These settings on the CPU provider only. */
  public OrtRunnerOptions cpuOnly() {
    return new OrtRunnerOptions(intraOpThreads, interOpThreads, false, parallelExecution, memArena, memPattern,
        optimizationLevel, sessionConfig, runConfig);
  }

  private static Map<String, String> with(Map<String, String> entries, String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(entries);
    copy.put(key, value);
    return copy;
  }
}
