package dev.yardmaster.profiler.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Closed-loop load: {@code concurrency} independent streams, each keeping exactly one request
 * outstanding; a completion starts the stream's next request, so no thread per stream. A run is a
 * warm-up then a measurement window, bounded by time and by {@link LoadSpec#maxRequests()}; when
 * the window closes, streams stop and outstanding calls are awaited until their deadline plus a
 * grace, then cancelled.
 *
 * <pre>{@code
 * LoadSpec spec = LoadSpec.builder(Target.parse("localhost:8001"),
 *         RequestFactories.randomFp32("higgs_mlp", "features", 28, 8, 42L))
 *     .concurrency(64).warmUp(Duration.ofSeconds(2)).measure(Duration.ofSeconds(10))
 *     .build();
 * LoadResult result = ClosedLoopDriver.builder()
 *     .progress(p -> System.err.println(p.summary())).build()
 *     .run(spec);
 * System.out.print(LoadTable.create().add("higgs b8", result).render());
 * }</pre>
 */
public final class ClosedLoopDriver {

  /** Waited past the last deadline before outstanding calls are cancelled. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final LongSupplier nanoClock;
  private final LoadProgressListener progress;
  private final Duration progressInterval;

  private ClosedLoopDriver(
      LongSupplier nanoClock, LoadProgressListener progress, Duration progressInterval) {
    this.nanoClock = nanoClock;
    this.progress = progress;
    this.progressInterval = progressInterval;
  }

  /** A driver with the system clock and no progress reports. */
  public static ClosedLoopDriver create() {
    return builder().build();
  }

  /** A builder for the clock and progress reporting. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs the spec over channels opened for it and closed after. */
  public LoadResult run(LoadSpec spec) {
    try (LoadChannels channels = LoadChannels.open(spec)) {
      return run(spec, channels);
    }
  }

  /**
   * Runs the spec over borrowed channels (left open); the spec's target and channels are ignored.
   */
  public LoadResult run(LoadSpec spec, LoadChannels channels) {
    LoadStats stats = new LoadStats();
    long startNanos = nanoClock.getAsLong();
    long measureStart = startNanos + spec.warmUp().toNanos();
    long measureEnd = measureStart + spec.measure().toNanos();
    LoadWindow window =
        new LoadWindow(nanoClock, measureStart, measureEnd, new AtomicLong(spec.maxRequests()));
    CountDownLatch finished = new CountDownLatch(spec.concurrency());
    List<ClosedLoopStream> streams = new ArrayList<>(spec.concurrency());
    for (int i = 0; i < spec.concurrency(); i++) {
      streams.add(new ClosedLoopStream(i, channels.forStream(i), spec, window, stats, finished));
    }
    streams.forEach(ClosedLoopStream::start);

    long hardStop = measureEnd + spec.deadline().toNanos() + GRACE.toNanos();
    ProgressReporter reporter =
        new ProgressReporter(progress, progressInterval.toNanos(), stats, window, startNanos);
    boolean done = awaitReporting(finished, reporter, hardStop);
    long abandoned = 0;
    if (!done) {
      // a call outlived its deadline (a server or transport that ignores it): cancel and move on
      window.stop();
      streams.forEach(ClosedLoopStream::cancel);
      abandoned = finished.getCount();
      await(finished, GRACE.toNanos());
    }
    return stats.result(spec.call(), spec.concurrency(), measureStart, abandoned);
  }

  /** Waits for every stream, reporting progress each interval; false when hardStop passed first. */
  private boolean awaitReporting(
      CountDownLatch finished, ProgressReporter reporter, long hardStop) {
    // each tick waits at least half an interval unless the run ends: a generous bound
    long maxTicks = 4 * ((hardStop - nanoClock.getAsLong()) / reporter.intervalNanos()) + 8;
    for (long tick = 0; tick < maxTicks; tick++) {
      long now = nanoClock.getAsLong();
      long wait = Math.min(reporter.nextReportNanos(), hardStop) - now;
      if (now >= hardStop) {
        return finished.getCount() == 0;
      }
      if (await(finished, Math.max(wait, 0))) {
        return true;
      }
      reporter.maybeReport(nanoClock.getAsLong());
    }
    return finished.getCount() == 0;
  }

  private static boolean await(CountDownLatch latch, long nanos) {
    try {
      return latch.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return latch.getCount() == 0;
    }
  }

  /** Builds a {@link ClosedLoopDriver}. */
  public static final class Builder {
    private LongSupplier nanoClock = System::nanoTime;
    private LoadProgressListener progress = LoadProgressListener.noop();
    private Duration progressInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** The clock that times requests and windows; {@link System#nanoTime()} by default. */
    public Builder nanoClock(LongSupplier value) {
      this.nanoClock = value;
      return this;
    }

    /** Receives progress about once per interval. */
    public Builder progress(LoadProgressListener value) {
      this.progress = value;
      return this;
    }

    /** How often progress is reported; one second by default. */
    public Builder progressInterval(Duration value) {
      if (value.toMillis() < 10) {
        throw new IllegalArgumentException("progressInterval: " + value + " (expected: >= 10ms)");
      }
      this.progressInterval = value;
      return this;
    }

    /** The driver. */
    public ClosedLoopDriver build() {
      return new ClosedLoopDriver(nanoClock, progress, progressInterval);
    }
  }
}
