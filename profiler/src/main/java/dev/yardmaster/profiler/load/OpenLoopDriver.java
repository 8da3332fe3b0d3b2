package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Open-loop load: requests arrive at a fixed rate ({@link ArrivalProcess}) whatever the server
 * does, at most {@link LoadSpec#concurrency()} outstanding; an arrival that finds the cap full is
 * dropped and counted. Latency runs from the intended arrival time, so a stalled sender does not
 * hide queueing (no coordinated omission). Bounded like {@link ClosedLoopDriver}.
 */
public final class OpenLoopDriver {
  private final LongSupplier nanoClock;
  private final LoadProgressListener progress;
  private final Duration progressInterval;

  private OpenLoopDriver(
      LongSupplier nanoClock, LoadProgressListener progress, Duration progressInterval) {
    this.nanoClock = nanoClock;
    this.progress = progress;
    this.progressInterval = progressInterval;
  }

  /** A driver with the system clock and no progress reports. */
  public static OpenLoopDriver create() {
    return new OpenLoopDriver(System::nanoTime, LoadProgressListener.noop(), Duration.ofSeconds(1));
  }

  /** A driver reporting progress about once per interval. */
  public static OpenLoopDriver withProgress(LoadProgressListener progress, Duration interval) {
    if (interval.toMillis() < 10) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 10ms)");
    }
    return new OpenLoopDriver(System::nanoTime, progress, interval);
  }

  /** Runs over channels opened for the spec and closed after. */
  public LoadResult run(LoadSpec spec, ArrivalProcess arrivals) {
    try (LoadChannels channels = LoadChannels.open(spec)) {
      return run(spec, arrivals, channels);
    }
  }

  /** Runs over borrowed channels (left open). */
  public LoadResult run(LoadSpec spec, ArrivalProcess arrivals, LoadChannels channels) {
    LoadStats stats = new LoadStats();
    long startNanos = nanoClock.getAsLong();
    long measureStart = startNanos + spec.warmUp().toNanos();
    long measureEnd = measureStart + spec.measure().toNanos();
    LoadWindow window =
        new LoadWindow(nanoClock, measureStart, measureEnd, new AtomicLong(spec.maxRequests()));
    ProgressReporter reporter =
        new ProgressReporter(progress, progressInterval.toNanos(), stats, window, startNanos);
    Semaphore slots = new Semaphore(spec.concurrency());
    Set<ClientCall<ModelInferRequest, ModelInferResponse>> outstanding =
        ConcurrentHashMap.newKeySet();

    DoubleSupplier gaps = arrivals.gapsNanos();
    double totalSeconds = (measureEnd - startNanos) / 1e9;
    // twice the expected arrivals: a Poisson run exceeding it is astronomically unlikely
    long maxArrivals = (long) Math.ceil(arrivals.ratePerSecond() * totalSeconds * 2) + 1024;
    double offsetNanos = 0;
    for (long k = 0; k < maxArrivals; k++) {
      long intended = startNanos + (long) offsetNanos;
      offsetNanos += gaps.getAsDouble();
      LoadWindow.Admission admission = window.admit(intended);
      if (admission == LoadWindow.Admission.STOP || !sleepUntil(intended, reporter)) {
        break;
      }
      boolean measured = admission == LoadWindow.Admission.MEASURED;
      if (!slots.tryAcquire()) {
        if (measured) {
          stats.recordDropped();
        }
        continue;
      }
      if (!send(spec, channels, k, intended, measured, stats, slots, outstanding)) {
        break;
      }
    }

    long hardStop =
        Math.max(nanoClock.getAsLong(), measureEnd)
            + spec.deadline().toNanos()
            + ClosedLoopDriver.GRACE.toNanos();
    long abandoned = 0;
    if (!awaitAll(slots, spec.concurrency(), reporter, hardStop)) {
      window.stop();
      abandoned = outstanding.size();
      outstanding.forEach(call -> call.cancel("load run stopped", null));
      awaitAll(
          slots,
          spec.concurrency(),
          reporter,
          nanoClock.getAsLong() + ClosedLoopDriver.GRACE.toNanos());
    }
    return stats.result(spec.call(), spec.concurrency(), measureStart, abandoned);
  }

  /** Starts one call; false when the request factory fails (which ends the run). */
  private boolean send(
      LoadSpec spec,
      LoadChannels channels,
      long arrival,
      long intended,
      boolean measured,
      LoadStats stats,
      Semaphore slots,
      Set<ClientCall<ModelInferRequest, ModelInferResponse>> outstanding) {
    int stream = (int) (arrival % spec.concurrency());
    LoadRequest request;
    Metadata headers;
    try {
      request = spec.requests().create(stream, arrival / spec.concurrency());
      headers = LoadCalls.headers(request);
    } catch (RuntimeException e) {
      slots.release();
      return false;
    }
    ClientCall<ModelInferRequest, ModelInferResponse> call =
        LoadCalls.newCall(channels.forStream(stream), spec);
    outstanding.add(call);
    int rows = request.rows();
    ClientCall.Listener<ModelInferResponse> listener =
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            long now = nanoClock.getAsLong();
            if (!measured) {
              stats.recordWarmUp();
            } else if (status.isOk()) {
              stats.recordSuccess(now - intended, rows, now);
            } else {
              stats.recordError(status.getCode(), now);
            }
            outstanding.remove(call);
            slots.release();
          }
        };
    try {
      call.start(listener, headers);
    } catch (RuntimeException e) {
      // no listener callback follows a failed start
      outstanding.remove(call);
      slots.release();
      if (measured) {
        stats.recordError(Status.Code.INTERNAL, nanoClock.getAsLong());
      }
      return true;
    }
    LoadCalls.send(call, request);
    return true;
  }

  /** Parks until {@code target}, reporting progress on the way; false if interrupted. */
  private boolean sleepUntil(long target, ProgressReporter reporter) {
    for (int i = 0; i < 1_000_000; i++) {
      long now = nanoClock.getAsLong();
      reporter.maybeReport(now);
      if (now >= target) {
        return true;
      }
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(Math.min(target, reporter.nextReportNanos()) - now);
    }
    return true;
  }

  /** Waits until no call is outstanding or {@code until} passes, reporting progress. */
  private boolean awaitAll(Semaphore slots, int permits, ProgressReporter reporter, long until) {
    long maxTicks = 4 * ((until - nanoClock.getAsLong()) / reporter.intervalNanos()) + 8;
    for (long tick = 0; tick < maxTicks; tick++) {
      long now = nanoClock.getAsLong();
      if (now >= until) {
        break;
      }
      try {
        long wait = Math.max(0, Math.min(until, reporter.nextReportNanos()) - now);
        if (slots.tryAcquire(permits, wait, TimeUnit.NANOSECONDS)) {
          slots.release(permits);
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      reporter.maybeReport(nanoClock.getAsLong());
    }
    return slots.availablePermits() == permits;
  }
}
