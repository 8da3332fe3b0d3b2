package dev.yardmaster.profiler.sweep;

/** Hears about a sweep as it goes: for progress bars and logs. */
public interface SweepListener {

  /** A point is about to be measured; {@code index} counts from 0 over all targets' points. */
  default void onPointStart(SweepTarget target, int batch, int concurrency, int index, int total) {}

  /** A point was measured. */
  default void onPoint(SweepTarget target, PointResult point, int index, int total) {}

  /** The target's backend answered no ModelStatistics: its points have no queue/compute split. */
  default void onNoServerStatistics(SweepTarget target, String reason) {}

  /** Something could not be measured; the sweep goes on with the rest. */
  default void onMissing(MissingTarget missing) {}

  /** A listener that ignores everything. */
  static SweepListener noop() {
    return new SweepListener() {};
  }
}
