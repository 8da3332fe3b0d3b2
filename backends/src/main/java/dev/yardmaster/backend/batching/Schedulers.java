package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Picks the scheduler a model config asks for. */
public final class Schedulers {

  private Schedulers() {}

  /**
   * The dynamic batcher when the config has {@code dynamic_batching} and {@code max_batch_size > 0},
   * one execution per request otherwise; both on {@link System#nanoTime}.
   */
  public static SchedulerFactory factory() {
    return factory(System::nanoTime);
  }

  /** As {@link #factory()}, on the given nanosecond clock. */
  public static SchedulerFactory factory(LongSupplier clock) {
    return (spec, runner, stats) ->
        spec.config().hasDynamicBatching() && spec.maxBatchSize() > 0
            ? new DynamicBatchScheduler(spec, runner, stats, clock)
            : new DirectScheduler(spec, runner, stats, clock);
  }

  /**
   * How many executions may run at once: the sum of instance_group counts, at least 1. Passive
   * groups are left out: as in Triton, their instances load but the scheduler sends them no work.
   */
  public static int instanceCount(ModelConfig config) {
    int count = 0;
    for (ModelInstanceGroup group : config.getInstanceGroupList()) {
      if (group.getPassive()) {
        continue;
      }
      // Triton gives a group without a count one instance.
      count += Math.max(1, group.getCount());
    }
    return Math.max(1, count);
  }

  /** Daemon threads named after the model, each added to {@code owned}. */
  static ThreadFactory threads(ModelSpec spec, String role, Set<Thread> owned) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task,
          "yardmaster-" + spec.name() + "-v" + spec.version() + "-" + role + "-" + next.getAndIncrement());
      thread.setDaemon(true);
      owned.add(thread);
      return thread;
    };
  }
}
