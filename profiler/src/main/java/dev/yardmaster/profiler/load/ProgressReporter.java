package dev.yardmaster.profiler.load;

/** Reports a run's progress once per interval; called from the thread running the driver. */
final class ProgressReporter {
  private final LoadProgressListener listener;
  private final long intervalNanos;
  private final LoadStats stats;
  private final LoadWindow window;
  private final long startNanos;
  private long nextReportNanos;
  private long lastCompleted;
  private long lastNanos;

  ProgressReporter(
      LoadProgressListener listener,
      long intervalNanos,
      LoadStats stats,
      LoadWindow window,
      long startNanos) {
    this.listener = listener;
    this.intervalNanos = intervalNanos;
    this.stats = stats;
    this.window = window;
    this.startNanos = startNanos;
    this.nextReportNanos = startNanos + intervalNanos;
    this.lastNanos = startNanos;
  }

  long intervalNanos() {
    return intervalNanos;
  }

  /** When the next report is due. */
  long nextReportNanos() {
    return nextReportNanos;
  }

  /** Reports if one is due at {@code now}. */
  void maybeReport(long now) {
    if (now < nextReportNanos) {
      return;
    }
    long completed = stats.completed();
    double rate = now > lastNanos ? (completed - lastCompleted) * 1e9 / (now - lastNanos) : 0.0;
    listener.onProgress(
        new LoadProgress(window.phase(now), now - startNanos, completed, stats.errors(), rate));
    lastCompleted = completed;
    lastNanos = now;
    // skip intervals missed while stalled instead of reporting them all at once
    nextReportNanos = Math.max(nextReportNanos + intervalNanos, now + intervalNanos / 2);
  }
}
