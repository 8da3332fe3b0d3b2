package dev.yardmaster.backend;

/**
 * Builds the scheduler of one model version from its config: the dynamic batcher when the config
 * has {@code dynamic_batching}, one execution per request otherwise.
 */
@FunctionalInterface
public interface SchedulerFactory {
  Scheduler create(ModelSpec spec, ModelRunner runner, ModelStats stats);
}
