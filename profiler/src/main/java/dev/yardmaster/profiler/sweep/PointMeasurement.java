package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.load.ArrivalProcess;
import dev.yardmaster.profiler.load.ClosedLoopDriver;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadResult;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.OpenLoopDriver;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.profiler.profile.ProfileEntry.ServerSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Measures one grid point: a warm-up, then measurement windows until the last {@code
 * stableWindows} agree within the tolerance (perf_analyzer's rule) or the time cap passes. The
 * server's statistics are read before the first window and after each one (every window ends with
 * no call outstanding), so the split covers exactly the windows the point reports.
 */
final class PointMeasurement {

  private PointMeasurement() {}

  static PointResult measure(SweepPlan plan, Target target, LoadChannels channels, RequestFactory requests,
      int batch, int concurrency, ServerStatistics server, BooleanSupplier stopped) {
    long capNanos = System.nanoTime() + plan.pointCap().toNanos();
    LoadSpec base = LoadSpec.builder(target, requests).concurrency(concurrency).channels(channels.size())
        .warmUp(Duration.ZERO).measure(plan.window()).deadline(plan.deadline()).build();
    // warm-up: load that is not recorded, on the channels the windows will use
    if (!plan.warmUp().isZero()) {
      run(plan, new LoadSpec(target, base.call(), requests, concurrency, channels.size(), Duration.ZERO,
          plan.warmUp(), base.maxRequests(), plan.deadline()), channels);
    }
    List<LoadResult> windows = new ArrayList<>();
    List<ServerStatistics.@Nullable Counters> readings = new ArrayList<>();
    readings.add(server.read());
    boolean stable = false;
    while (!stopped.getAsBoolean()) {
      windows.add(run(plan, base, channels));
      readings.add(server.read());
      if (agree(windows, plan)) {
        stable = true;
        break;
      }
      if (System.nanoTime() + plan.window().toNanos() > capNanos) {
        break;
      }
    }
    return combine(batch, concurrency, windows, plan.stableWindows(), stable, split(readings, plan.stableWindows()));
  }

  /** The split over the last (up to) {@code n} windows; null without readings on both sides. */
  static @Nullable ServerSplit split(List<ServerStatistics.@Nullable Counters> readings, int n) {
    if (readings.size() < 2) {
      return null;
    }
    ServerStatistics.Counters last = readings.get(readings.size() - 1);
    ServerStatistics.Counters first = readings.get(Math.max(0, readings.size() - 1 - n));
    return last == null || first == null ? null : last.since(first);
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
  static PointResult combine(int batch, int concurrency, List<LoadResult> windows, int n, boolean stable,
      @Nullable ServerSplit server) {
    Map<String, Long> errors = new TreeMap<>();
    for (LoadResult window : windows) {
      window.errors().forEach((code, count) -> errors.merge(code, count, Long::sum));
    }
    List<LoadResult> last = windows.subList(Math.max(0, windows.size() - n), windows.size());
    if (last.isEmpty()) {
      return new PointResult(batch, concurrency, 0, 0, 0, 0, 0, 0, 0, 0, errors, 0, false, null);
    }
    double throughput = 0;
    double requests = 0;
    double p50 = 0;
    double p90 = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
    for (LoadResult window : last) {
      throughput += window.inferencesPerSecond();
      requests += window.requestsPerSecond();
      p50 += window.p50Ms();
      p90 += window.p90Ms();
      p95 += window.p95Ms();
      p99 += window.p99Ms();
      max = Math.max(max, window.maxMs());
      mean += window.meanMs();
    }
    int k = last.size();
    return new PointResult(batch, concurrency, throughput / k, requests / k, p50 / k, p90 / k, p95 / k,
        p99 / k, Math.max(max, p99 / k), mean / k, errors, windows.size(), stable, server);
  }
}
