package dev.yardmaster.profiler.load;

/** Receives {@link LoadProgress} during a run, on the thread that called the driver's run. */
@FunctionalInterface
public interface LoadProgressListener {

  /** Called about once per progress interval. */
  void onProgress(LoadProgress progress);

  /** A listener that ignores progress. */
  static LoadProgressListener noop() {
    return progress -> {};
  }
}
