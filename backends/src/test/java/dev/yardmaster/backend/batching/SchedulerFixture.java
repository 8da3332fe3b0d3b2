package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedulers one test opens on a shared {@link TestModels.Runner} and {@link ModelStats};
 * closing it releases the runner, closes each scheduler and checks that nothing was left in flight
 * or queued ({@link TestModels#closeAndCheckIdle}).
 */
final class SchedulerFixture implements AutoCloseable {
  final TestModels.Runner runner = new TestModels.Runner();
  final ModelStats stats = new ModelStats();
  private final List<DynamicBatchScheduler> schedulers = new ArrayList<>();

  /** A scheduler of the test model with these batching settings, closed with the fixture. */
  DynamicBatchScheduler open(int maxBatchSize, int instances, ModelDynamicBatching.Builder batching) {
    return open(TestModels.spec(maxBatchSize, instances, batching), runner, stats);
  }

  /** A scheduler on a runner and stats of the test's own, closed and checked with the fixture's. */
  DynamicBatchScheduler open(ModelSpec spec, ModelRunner modelRunner, ModelStats modelStats) {
    DynamicBatchScheduler scheduler = new DynamicBatchScheduler(spec, modelRunner, modelStats);
    schedulers.add(scheduler);
    return scheduler;
  }

  @Override
  public void close() {
    TestModels.closeAndCheckIdle(runner, schedulers);
  }
}
