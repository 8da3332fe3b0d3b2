package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.batching.BatchFormer.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link BatchFormer} the way Triton's batcher thread drives its queue, on a fake clock in
 * milliseconds: at every arrival and every deadline it fails what timed out and executes each batch
 * that is due. Executions take no time and an instance is always free, which is what Triton's
 * {@code qa/L0_batcher} and {@code qa/L0_model_queue} tests assume of their models; {@link #paused}
 * stands in for their {@code TRITONSERVER_DELAY_SCHEDULER}, which lets requests queue before the
 * batcher looks at them.
 */
final class TritonBatcherThread {
  static final String SHAPE_16 = "INPUT0:FP32[16]";
  static final String SHAPE_8 = "INPUT0:FP32[8]";

  /** A batch that ran, at {@code atMillis}. */
  record Executed(long atMillis, List<String> ids, int rows) {}

  /** A request that failed with "Request timeout expired", at {@code atMillis}. */
  record TimedOut(long atMillis, String id) {}

  private static final long NANOS_PER_MILLI = 1_000_000;

  private final BatchingPolicy policy;
  private final BatchFormer<String> former;
  private final List<Executed> executed = new ArrayList<>();
  private final List<TimedOut> timedOut = new ArrayList<>();
  private long nowNanos;
  private boolean paused;

  TritonBatcherThread(BatchingPolicy policy) {
    this.policy = policy;
    this.former = new BatchFormer<>(policy);
  }

  /** Queues what arrives without forming batches until {@link #start}. */
  TritonBatcherThread paused() {
    paused = true;
    return this;
  }

  /** The batcher looks at the queue for the first time. */
  void start(long atMillis) {
    paused = false;
    advanceTo(atMillis);
  }

  /** A request of {@code rows} rows with shape {@link #SHAPE_16}, the default priority and no timeout. */
  void send(long atMillis, String id, int rows) {
    send(atMillis, id, rows, SHAPE_16, 0, 0);
  }

  void send(long atMillis, String id, int rows, String shape) {
    send(atMillis, id, rows, shape, 0, 0);
  }

  /**
   * A request as a client sends it: {@code priority} 0 is the default level, {@code timeoutMillis}
   * 0 asks for none; the level's queue policy decides the timeout, as {@link DynamicBatchScheduler} does.
   */
  void send(long atMillis, String id, int rows, String shape, int priority, long timeoutMillis) {
    advanceTo(atMillis);
    int level = policy.level(priority);
    long timeoutNanos = policy.queuePolicy(level).timeoutNanos(timeoutMillis * NANOS_PER_MILLI);
    assertThat(former.offer(id, rows, level, nowNanos, timeoutNanos, shape)).isEqualTo(BatchFormer.Offer.ACCEPTED);
    formDue();
  }

  /** Lets time pass to {@code atMillis}, handling every deadline on the way. */
  void advanceTo(long atMillis) {
    long target = atMillis * NANOS_PER_MILLI;
    assertThat(target).as("time only moves forward").isGreaterThanOrEqualTo(nowNanos);
    formDue();
    while (!former.isEmpty()) {
      long next = paused ? former.nextTimeoutNanos() : former.nextDeadlineNanos(nowNanos);
      if (next > target) {
        break;
      }
      assertThat(next).as("a deadline after the batches due now were formed").isGreaterThan(nowNanos);
      nowNanos = next;
      formDue();
    }
    nowNanos = target;
  }

  List<Executed> executed() {
    return executed;
  }

  List<TimedOut> timedOut() {
    return timedOut;
  }

  private void formDue() {
    for (String id : former.expired(nowNanos)) {
      timedOut.add(new TimedOut(nowNanos / NANOS_PER_MILLI, id));
    }
    if (paused) {
      return;
    }
    Batch<String> batch;
    while ((batch = former.nextBatch(nowNanos)) != null) {
      executed.add(new Executed(nowNanos / NANOS_PER_MILLI, batch.items(), batch.rows()));
    }
  }
}
