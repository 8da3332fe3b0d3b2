package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.backend.batching.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a version of a model as a {@link LocalServedModel} (its runner, reshaping as the config
 * says, warmed up as its {@code model_warmup} says, then its scheduler), and closes one without
 * letting a failure escape; updates a serving version whose instance groups alone changed.
 */
final class VersionOpener {

  // The repository's log lines keep the manager's name, whichever class writes them.
  private static final Logger log = LoggerFactory.getLogger(RepositoryModelManager.class);

  private final RunnerFactory runnerFactory;
  private final SchedulerFactory schedulerFactory;

  VersionOpener(RunnerFactory runnerFactory, SchedulerFactory schedulerFactory) {
    this.runnerFactory = runnerFactory;
    this.schedulerFactory = schedulerFactory;
  }

  /**
   * Opens {@code version} of {@code definition}; a runner that opened is closed again when its
   * warmup or its scheduler fails.
   *
   * @throws InferenceException naming the model and version when the runner fails to open, or a
   *     warmup setting's data or execution fails
   */
  LocalServedModel open(ModelDefinition definition, long version) {
    ModelSpec spec = definition.spec(version);
    // Data files are read before the runner opens: a missing one fails without loading the model.
    ModelWarmups warmups = ModelWarmups.of(definition, version);
    ModelRunner runner;
    try {
      runner = definition.withReshapes(runnerFactory.open(spec, definition.modelFile(version)));
    } catch (RuntimeException e) {
      InferenceException cause = InferenceException.from(e);
      throw new InferenceException(cause.status(),
          "model '" + definition.name() + "' version " + version + " failed to open: " + cause.getMessage(), e);
    }
    try {
      warmUp(definition.name(), version, warmups, runner);
      ModelStats stats = new ModelStats();
      Scheduler scheduler = schedulerFactory.create(spec, runner, stats);
      return new LocalServedModel(spec, runner, scheduler, stats);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /**
   * Readies {@code current}, serving, for the instance groups of {@code definition}'s {@code
   * version} (a config that {@link ModelConfigLoader#requiresReload} does not reopen it for), as
   * Triton's {@code UpdateInstanceGroup}: the runner and stats stay, only the instances it adds run
   * {@code model_warmup}, here and now; the returned update swaps in a scheduler for the new count
   * and is to run once the whole load succeeded.
   *
   * @throws InferenceException naming the model and version when a warmup of the added instances fails
   */
  Runnable update(ModelDefinition definition, long version, LocalServedModel current) {
    ModelSpec spec = definition.spec(version);
    int before = Schedulers.instanceCount(current.spec().config());
    int after = Schedulers.instanceCount(spec.config());
    warmUp(definition.name(), version, ModelWarmups.of(definition, version), current.runner(), after - before);
    boolean sameInstances = spec.config().getInstanceGroupList()
        .equals(current.spec().config().getInstanceGroupList());
    return () -> {
      current.update(spec, sameInstances ? null : schedulerFactory.create(spec, current.runner(), current.stats()));
      log.info("model '{}' version {} updated in place: instances {} -> {}", definition.name(), version, before,
          after);
    };
  }

  private static void warmUp(String name, long version, ModelWarmups warmups, ModelRunner runner) {
    warmUp(name, version, warmups, runner, warmups.instances());
  }

  private static void warmUp(String name, long version, ModelWarmups warmups, ModelRunner runner, int instances) {
    if (warmups.isEmpty() || instances <= 0) {
      return;
    }
    long start = System.nanoTime();
    long executions = warmups.run(runner, instances);
    log.info("model '{}' version {} warmed up in {} ms: model_warmup settings {}, instances {}, executions {}",
        name, version, (System.nanoTime() - start) / 1_000_000, warmups.settingCount(), instances, executions);
  }

  /** Closes {@code model}, logging instead of throwing when it does not close cleanly. */
  static void closeQuietly(LocalServedModel model) {
    try {
      model.close();
    } catch (RuntimeException e) {
      log.warn("model '{}' version {} did not close cleanly", model.spec().name(), model.spec().version(), e);
    }
  }
}
