package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.load.ArrivalProcess;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.OpenLoopDriver;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.load.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Measures one grid point: a warm-up, then measurement windows until the last {@code
 * stableWindows} agree within the tolerance (perf_analyzer's rule) or the time cap passes.
 */
final class PointMeasurement {

  private PointMeasurement() {}

  static PointResult measure(SweepPlan plan, Target target, LoadChannels channels, RequestFactory requests,
      int batch, int concurrency, BooleanSupplier stopped) {
    long capNanos = System.nanoTime() + plan.pointCap().toNanos();
    LoadSpec base = LoadSpec.builder(target, requests).concurrency(concurrency).channels(channels.size())
        .warmUp(Duration.ZERO).measure(plan.window()).deadline(plan.deadline()).build();
    // warm-up: load that is not recorded, on the channels the windows will use
    if (!plan.warmUp().isZero()) {
      run(plan, new LoadSpec(target, base.call(), requests, concurrency, channels.size(), Duration.ZERO,
          plan.warmUp(), base.maxRequests(), plan.deadline()), channels);
    }
    List<LoadResult> windows = new ArrayList<>();
    boolean stable = false;
    while (!stopped.getAsBoolean()) {
      windows.add(run(plan, base, channels));
      if (agree(windows, plan)) {
        stable = true;
        break;
      }
      if (System.nanoTime() + plan.window().toNanos() > capNanos) {
        break;
      }
    }
    return combine(batch, concurrency, windows, plan.stableWindows(), stable);
  }

  private static LoadResult run(SweepPlan plan, LoadSpec spec, LoadChannels channels) {
    if (plan.mode() == SweepPlan.Mode.FIXED_RATE) {
      return OpenLoopDriver.create().run(spec, ArrivalProcess.uniform(plan.requestsPerSecond()), channels);
    }
    return ClosedLoopDriver.create().run(spec, channels);
  }

  /** Whether the last {@code stableWindows} throughputs are each within tolerance of their mean. */
  static boolean agree(List<LoadResult> windows, SweepPlan plan) {
    int n = plan.stableWindows();
    if (windows.size() < n) {
      return false;
    }
    List<LoadResult> last = windows.subList(windows.size() - n, windows.size());
    double mean = last.stream().mapToDouble(LoadResult::inferencesPerSecond).average().orElse(0);
    if (mean <= 0) {
      return last.stream().allMatch(w -> w.totalErrors() > 0); // steadily failing is stable too
    }
    for (LoadResult window : last) {
      if (Math.abs(window.inferencesPerSecond() - mean) > plan.tolerance() * mean) {
        return false;
      }
    }
    return true;
  }

  /** Means over the last (up to) {@code n} windows; errors summed over every window. */
  static PointResult combine(int batch, int concurrency, List<LoadResult> windows, int n, boolean stable) {
    Map<String, Long> errors = new TreeMap<>();
    for (LoadResult window : windows) {
      window.errors().forEach((code, count) -> errors.merge(code, count, Long::sum));
    }
    List<LoadResult> last = windows.subList(Math.max(0, windows.size() - n), windows.size());
    if (last.isEmpty()) {
      return new PointResult(batch, concurrency, 0, 0, 0, 0, 0, 0, 0, errors, 0, false);
    }
    double throughput = 0;
    double requests = 0;
    double p50 = 0;
    double p90 = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
    for (LoadResult window : last) {
      throughput += window.inferencesPerSecond();
      requests += window.requestsPerSecond();
      p50 += window.p50Ms();
      p90 += window.p90Ms();
      p95 += window.p95Ms();
      p99 += window.p99Ms();
      max = Math.max(max, window.maxMs());
    }
    int k = last.size();
    return new PointResult(batch, concurrency, throughput / k, requests / k, p50 / k, p90 / k, p95 / k,
        p99 / k, Math.max(max, p99 / k), errors, windows.size(), stable);
  }
}
