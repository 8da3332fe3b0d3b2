package dev.yardmaster.backend.emulated;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link EmulatedRunner}s around the runners of another factory, all paced by one profile.
 *
 * <p>Concurrency: the emulated device, not the config, decides how many executions run at once.
 * {@link #schedulerFactory} builds each model's scheduler with the profile's
 * {@link AcceleratorProfile#maxConcurrentExecutions()} as its instance count, replacing the sum of
 * the config's {@code instance_group} counts (which describe the host runtime the config was
 * written for); the ModelConfig that clients read is unchanged. The runner also holds the device to
 * that many executions, so a scheduler built without the override (more instances) queues on the
 * device instead of exceeding it, and one with fewer instances simply uses fewer slots.
 */
public final class EmulatedRunnerFactory implements RunnerFactory {

  private static final Logger log = LoggerFactory.getLogger(EmulatedRunnerFactory.class);

  private final RunnerFactory delegate;
  private final AcceleratorProfile profile;
  private final PacingClock clock;
  private final EmulationCounters counters = new EmulationCounters();

  public EmulatedRunnerFactory(RunnerFactory delegate, AcceleratorProfile profile, PacingClock clock) {
    this.delegate = delegate;
    this.profile = profile;
    this.clock = clock;
  }

  /** Paced on the wall clock. */
  public EmulatedRunnerFactory(RunnerFactory delegate, AcceleratorProfile profile) {
    this(delegate, profile, PacingClock.system());
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    ModelRunner real = delegate.open(spec, modelFile);
    warmUp(spec, real);
    return new EmulatedRunner(real, profile, spec.batched(), clock, counters);
  }

  /**
   * One execution of zeros at batch 1 before serving, so the runtime's first-run costs (allocation,
   * JIT) are not reported as the first request lagging the device. Skipped for BYTES inputs;
   * failures are logged, never thrown (the model may reject zeros and still serve).
   */
  private static void warmUp(ModelSpec spec, ModelRunner real) {
    Map<String, Tensor> zeros = new LinkedHashMap<>();
    for (TensorSpec input : spec.inputs()) {
      if (!input.dataType().isFixedSize()) {
        return;
      }
      long[] shape = input.shape(spec.batched());
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Math.max(1, shape[i]);
      }
      int bytes = Math.toIntExact(Tensor.elementCount(shape) * input.dataType().elementSize());
      zeros.put(input.name(), Tensor.of(input.name(), input.dataType(), shape, new byte[bytes]));
    }
    try {
      real.run(zeros, spec.outputs().stream().map(TensorSpec::name).toList());
    } catch (RuntimeException e) {
      log.info("model '{}' version {}: warm-up skipped: {}", spec.name(), spec.version(), e.getMessage());
    }
  }

  /** Executions completed by every runner this factory opened, closed ones included. */
  public long executions() {
    return counters.executions.sum();
  }

  /** Of {@link #executions()}, those the host finished later than the emulated device would have. */
  public long laggingExecutions() {
    return counters.lagging.sum();
  }

  public AcceleratorProfile profile() {
    return profile;
  }

  /** Schedulers from {@code schedulers}, each with the profile's concurrency as its instance count. */
  public SchedulerFactory schedulerFactory(SchedulerFactory schedulers) {
    return (spec, runner, stats) -> schedulers.create(withInstances(spec, profile.maxConcurrentExecutions()),
        runner, stats);
  }

  static ModelSpec withInstances(ModelSpec spec, int count) {
    ModelConfig config = spec.config().toBuilder().clearInstanceGroup()
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(count)).build();
    return new ModelSpec(spec.name(), spec.version(), spec.platform(), spec.maxBatchSize(), spec.inputs(),
        spec.outputs(), config);
  }
}
