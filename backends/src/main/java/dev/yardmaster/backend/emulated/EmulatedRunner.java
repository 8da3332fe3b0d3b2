package dev.yardmaster.backend.emulated;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner that computes its outputs with a wrapped real runner but completes each execution no
 * earlier than its start plus the profile's latency for the batch: the numbers are real, the
 * timing is the emulated device's.
 *
 * <p>The device runs at most {@link AcceleratorProfile#maxConcurrentExecutions()} executions at
 * once; an execution that finds it full waits for a slot, and its latency counts from when it gets
 * one (as a device queue would). When the wrapped runner alone takes longer than the profile allows
 * (the CPU is slower than the emulated device), the execution returns as soon as it is done and is
 * counted as {@link #laggingExecutions() lagging}, so a slow host shows up rather than silently
 * misrepresenting the device.
 */
public final class EmulatedRunner implements ModelRunner {

  private static final Logger log = LoggerFactory.getLogger(EmulatedRunner.class);

  private final ModelRunner delegate;
  private final AcceleratorProfile profile;
  private final boolean batched;
  private final PacingClock clock;
  private final Semaphore device;
  private final String kind;
  private final LongAdder executions = new LongAdder();
  private final LongAdder lagging = new LongAdder();
  private final EmulationCounters shared;

  /**
   * @param delegate computes the outputs; closed with this runner
   * @param batched whether the first dimension of the inputs is the batch (the model's
   *     {@code max_batch_size > 0}); a non-batching model executes as batch 1
   */
  public EmulatedRunner(ModelRunner delegate, AcceleratorProfile profile, boolean batched, PacingClock clock) {
    this(delegate, profile, batched, clock, new EmulationCounters());
  }

  /** Also counting into {@code shared} (e.g. every runner of one factory). */
  EmulatedRunner(ModelRunner delegate, AcceleratorProfile profile, boolean batched, PacingClock clock,
      EmulationCounters shared) {
    this.shared = shared;
    this.delegate = delegate;
    this.profile = profile;
    this.batched = batched;
    this.clock = clock;
    this.device = new Semaphore(profile.maxConcurrentExecutions(), true);
    this.kind = "emulated-" + profile.name() + " (" + delegate.kind() + ")";
  }

  @Override
  public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
    try {
      device.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceException.unavailable("emulated %s: interrupted waiting for the device", profile.name());
    }
    try {
      long startNanos = clock.nanoTime();
      List<Tensor> outputs = delegate.run(inputs, outputNames);
      executions.increment();
      shared.executions.increment();
      long remainingNanos = startNanos + profile.latencyNanos(rows(inputs)) - clock.nanoTime();
      if (remainingNanos > 0) {
        clock.sleepNanos(remainingNanos);
      } else if (remainingNanos < 0) {
        lagging.increment();
        shared.lagging.increment();
        long count = lagging.sum();
        if (Long.bitCount(count) == 1) { // 1st, 2nd, 4th, ... so a slow host is seen, not flooded
          log.warn("emulated {}: execution of {} rows took {} us longer than the device would "
              + "(lagging executions: {} of {})", profile.name(), rows(inputs), -remainingNanos / 1_000,
              count, executions.sum());
        }
      }
      return outputs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceException.unavailable("emulated %s: interrupted while pacing", profile.name());
    } finally {
      device.release();
    }
  }

  private int rows(Map<String, Tensor> inputs) {
    if (!batched || inputs.isEmpty()) {
      return 1;
    }
    Tensor first = inputs.values().iterator().next();
    return first.rank() == 0 ? 1 : (int) Math.max(1, first.dim(0));
  }

  /** {@code emulated-<profile> (<wrapped kind>)}, e.g. {@code emulated-gpu-a10g (onnxruntime-cpu)}. */
  @Override
  public String kind() {
    return kind;
  }

  public AcceleratorProfile profile() {
    return profile;
  }

  /** Executions completed. */
  public long executions() {
    return executions.sum();
  }

  /** Executions the wrapped runner finished later than the emulated device would have. */
  public long laggingExecutions() {
    return lagging.sum();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
