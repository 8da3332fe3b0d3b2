package dev.yardmaster.backend.cpushare;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.emulated.PacingClock;
import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A runner held to a {@link CpuShare}: the wrapped runner computes at full speed on the calling
 * thread, then the execution waits until its CPU time divided by the share has passed since it
 * started. The CPU time is the calling thread's: ONNX Runtime with one intra-op thread (the
 * default) runs the whole execution on it.
 */
public final class CpuShareRunner implements ModelRunner {

  private final ModelRunner delegate;
  private final CpuShare share;
  private final PacingClock clock;
  private final LongSupplier threadCpuNanos;
  private final String kind;

  /**
   * @param threadCpuNanos the calling thread's CPU time in nanoseconds (see {@link ThreadCpu})
   */
  public CpuShareRunner(ModelRunner delegate, CpuShare share, PacingClock clock, LongSupplier threadCpuNanos) {
    this.delegate = delegate;
    this.share = share;
    this.clock = clock;
    this.threadCpuNanos = threadCpuNanos;
    this.kind = delegate.kind() + " (cpu share " + share.share() + ")";
  }

  @Override
  public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    long startNanos = clock.nanoTime();
    long startCpu = threadCpuNanos.getAsLong();
    List<Tensor> outputs = delegate.run(inputs, outputNames);
    long usedCpu = threadCpuNanos.getAsLong() - startCpu;
    long remaining = startNanos + share.minimumWallNanos(usedCpu) - clock.nanoTime();
    if (remaining > 0) {
      try {
        clock.sleepNanos(remaining);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw InferenceException.unavailable("cpu share %s: interrupted while pacing", share.share());
      }
    }
    return outputs;
  }

  /** The wrapped runner's kind and the share, e.g. {@code onnxruntime-cpu (cpu share 0.25)}. */
  @Override
  public String kind() {
    return kind;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
