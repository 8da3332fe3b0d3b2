package dev.yardmaster.router.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What the tour's load saw for one tier, recorded from many threads: requests sent, answered,
 * shed, failed, dropped at the client, answers per pool (from {@code x-yardmaster-pool}), the
 * latency of answers and how many were within the tier's budget. A phase's tally passes each event
 * on to the tally of the whole run.
 */
final class TierTally {

  private final String tier;
  private final long budgetNanos; // Long.MAX_VALUE: best effort
  private final LongAdder sent = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder withinBudget = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Map<String, LongAdder> byPool = new ConcurrentHashMap<>();
  private final Map<String, Long> firstErrors = new ConcurrentHashMap<>();
  private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
  private final @Nullable TierTally whole;

  TierTally(String tier, long budgetNanos) {
    this(tier, budgetNanos, null);
  }

  /** A tally that also records every event in {@code whole} (the run's tally of the same tier). */
  TierTally(String tier, long budgetNanos, @Nullable TierTally whole) {
    this.tier = tier;
    this.budgetNanos = budgetNanos;
    this.whole = whole;
  }

  /** A tally of one phase that passes its events on to this one. */
  TierTally phase() {
    return new TierTally(tier, budgetNanos, this);
  }

  void sent() {
    sent.increment();
    if (whole != null) {
      whole.sent();
    }
  }

  void dropped() {
    dropped.increment();
    if (whole != null) {
      whole.dropped();
    }
  }

  void answered(String pool, long latencyNanos) {
    if (whole != null) {
      whole.answered(pool, latencyNanos);
    }
    answered.increment();
    if (latencyNanos <= budgetNanos) {
      withinBudget.increment();
    }
    byPool.computeIfAbsent(pool, p -> new LongAdder()).increment();
    long micros = Math.max(1, Math.min(latencyNanos / 1_000, latencyMicros.getHighestTrackableValue()));
    synchronized (latencyMicros) {
      latencyMicros.recordValue(micros);
    }
  }

  void shed() {
    shed.increment();
    if (whole != null) {
      whole.shed();
    }
  }

  void failed(String status) {
    if (whole != null) {
      whole.failed(status);
    }
    failed.increment();
    firstErrors.merge(status, 1L, Long::sum);
  }

  /** An immutable summary. */
  TierResult result() {
    Map<String, Long> pools = new TreeMap<>();
    byPool.forEach((pool, count) -> pools.put(pool, count.sum()));
    double p50;
    double p99;
    synchronized (latencyMicros) {
      p50 = latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(50) / 1e3;
      p99 = latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1e3;
    }
    return new TierResult(tier, budgetNanos == Long.MAX_VALUE ? null : budgetNanos / 1e6, sent.sum(), answered.sum(),
        withinBudget.sum(), shed.sum(), failed.sum(), dropped.sum(), pools, p50, p99, new TreeMap<>(firstErrors));
  }
}
