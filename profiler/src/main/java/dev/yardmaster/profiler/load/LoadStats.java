package dev.yardmaster.profiler.load;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The counters and latency recorder one run shares across its streams; thread-safe. */
final class LoadStats {
  private static final Status.Code[] CODES = Status.Code.values();

  private final Recorder latencyMicros = new Recorder(3);
  private final Histogram accumulated = new Histogram(3);
  private final LongAdder warmUpCompleted = new LongAdder();
  private final LongAdder measuredOk = new LongAdder();
  private final LongAdder measuredRows = new LongAdder();
  private final LongAdder measuredErrors = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLongArray errorsByCode = new AtomicLongArray(CODES.length);
  // striped like the LongAdders: completions on several event loops do not contend on one CAS
  private final LongAccumulator lastMeasuredCompletionNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

  void recordWarmUp() {
    warmUpCompleted.increment();
  }

  void recordSuccess(long latencyNanos, int rows, long completedAtNanos) {
    latencyMicros.recordValue(Math.max(0, (latencyNanos + 999) / 1000));
    measuredOk.increment();
    measuredRows.add(rows);
    lastMeasuredCompletionNanos.accumulate(completedAtNanos);
  }

  void recordError(Status.Code code, long completedAtNanos) {
    errorsByCode.incrementAndGet(code.value());
    measuredErrors.increment();
    lastMeasuredCompletionNanos.accumulate(completedAtNanos);
  }

  void recordDropped() {
    dropped.increment();
  }

  long completed() {
    return warmUpCompleted.sum() + measuredOk.sum() + measuredErrors.sum();
  }

  long errors() {
    return measuredErrors.sum();
  }

  /** The latencies recorded since the last call, folded into the run's total. */
  synchronized Histogram total() {
    accumulated.add(latencyMicros.getIntervalHistogram());
    return accumulated.copy();
  }

  /** The run's result; {@code measureStartNanos} is when the measurement window opened. */
  LoadResult result(CallKind call, int concurrency, long measureStartNanos, long abandoned) {
    Histogram histogram = total();
    Map<String, Long> errors = new TreeMap<>();
    for (Status.Code code : CODES) {
      long count = errorsByCode.get(code.value());
      if (count > 0) {
        errors.put(code.name(), count);
      }
    }
    long ok = measuredOk.sum();
    long last = lastMeasuredCompletionNanos.get();
    double seconds = last == Long.MIN_VALUE ? 0.0 : Math.max(0, last - measureStartNanos) / 1e9;
    double perSecond = seconds > 0 ? 1.0 / seconds : 0.0;
    boolean empty = histogram.getTotalCount() == 0;
    return new LoadResult(
        call,
        concurrency,
        ok + measuredErrors.sum(),
        measuredRows.sum(),
        errors,
        seconds,
        ok * perSecond,
        measuredRows.sum() * perSecond,
        empty ? 0 : histogram.getValueAtPercentile(50.0) / 1000.0,
        empty ? 0 : histogram.getValueAtPercentile(90.0) / 1000.0,
        empty ? 0 : histogram.getValueAtPercentile(95.0) / 1000.0,
        empty ? 0 : histogram.getValueAtPercentile(99.0) / 1000.0,
        empty ? 0 : histogram.getMaxValue() / 1000.0,
        empty ? 0 : histogram.getMean() / 1000.0,
        warmUpCompleted.sum(),
        abandoned,
        dropped.sum());
  }
}
