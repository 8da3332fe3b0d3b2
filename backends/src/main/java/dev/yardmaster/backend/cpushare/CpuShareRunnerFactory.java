package dev.yardmaster.backend.cpushare;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.emulated.PacingClock;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** Opens the runners of another factory, each held to one {@link CpuShare}. */
public final class CpuShareRunnerFactory implements RunnerFactory {

  private final RunnerFactory delegate;
  private final CpuShare share;
  private final PacingClock clock;
  private final LongSupplier threadCpuNanos;

  public CpuShareRunnerFactory(RunnerFactory delegate, CpuShare share, PacingClock clock,
      LongSupplier threadCpuNanos) {
    this.delegate = delegate;
    this.share = share;
    this.clock = clock;
    this.threadCpuNanos = threadCpuNanos;
  }

  /** On the wall clock and the JVM's thread CPU time; {@code delegate} itself when the share is the whole core. */
  public static RunnerFactory of(RunnerFactory delegate, CpuShare share) {
    return share.limits() ? new CpuShareRunnerFactory(delegate, share, PacingClock.system(), ThreadCpu.clock())
        : delegate;
  }

  @Override
  public boolean gpuAvailable() {
    return delegate.gpuAvailable();
  }

  @Override
  public String noGpuReason() {
    return delegate.noGpuReason();
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    return new CpuShareRunner(delegate.open(spec, modelFile), share, clock, threadCpuNanos);
  }
}
