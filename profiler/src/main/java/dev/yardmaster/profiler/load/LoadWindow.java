package dev.yardmaster.profiler.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The warm-up and measurement windows of one run and its request budget; thread-safe. */
final class LoadWindow {
  /** What a stream may do with its next request. */
  enum Admission {
    STOP,
    WARM_UP,
    MEASURED
  }

  private final LongSupplier nanoClock;
  private final long measureStartNanos;
  private final long measureEndNanos;
  private final AtomicLong measuredPermits;
  private volatile boolean stopped;

  LoadWindow(
      LongSupplier nanoClock, long measureStartNanos, long measureEndNanos, AtomicLong permits) {
    this.nanoClock = nanoClock;
    this.measureStartNanos = measureStartNanos;
    this.measureEndNanos = measureEndNanos;
    this.measuredPermits = permits;
  }

  long now() {
    return nanoClock.getAsLong();
  }

  /** Whether a request may start at {@code now}, and whether it is measured. */
  Admission admit(long now) {
    if (stopped || now >= measureEndNanos) {
      return Admission.STOP;
    }
    if (now < measureStartNanos) {
      return Admission.WARM_UP;
    }
    if (measuredPermits.getAndDecrement() <= 0) {
      stopped = true;
      return Admission.STOP;
    }
    return Admission.MEASURED;
  }

  LoadProgress.Phase phase(long now) {
    if (stopped || now >= measureEndNanos) {
      return LoadProgress.Phase.DRAIN;
    }
    return now < measureStartNanos ? LoadProgress.Phase.WARM_UP : LoadProgress.Phase.MEASURE;
  }

  void stop() {
    stopped = true;
  }
}
