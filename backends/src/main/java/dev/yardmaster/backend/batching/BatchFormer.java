package dev.yardmaster.backend.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The dynamic batcher's queue and batch-forming rules as a pure state machine: no threads, no
 * clock reads (every method takes {@code nowNanos}), not thread safe (the owner locks).
 *
 * <p>The rules are Triton's ({@code dynamic_batch_scheduler.cc}): requests are taken in priority
 * order (level 1 first), FIFO within a level, with delayed (timed-out, DELAY) requests after the
 * others of their level. A batch never exceeds {@code max_batch_size}, never splits a request and
 * stops at the first request whose batch key (non-batch input shapes) differs. It is sent
 * <ul>
 *   <li>at once, cut to the largest preferred size reached (or to the rows before the request that
 *       would pass the largest preferred size), while the oldest member has waited less than
 *       {@code max_queue_delay}, and always when {@code max_queue_delay} is 0: current Triton
 *       treats a zero delay as never exceeded, so preferred sizes still cut batches;
 *   <li>whole, at once, when it reaches the largest preferred size (or max batch size when none
 *       are preferred), when the next request cannot join it, or when {@code max_queue_delay} is 0;
 *   <li>otherwise, whole, when the oldest member has waited {@code max_queue_delay}.
 * </ul>
 *
 * @param <T> what the caller queues (its pending request)
 */
public final class BatchFormer<T> {

  /** The outcome of {@link #offer}. */
  public enum Offer {
    ACCEPTED,
    /** The level's queue holds {@code max_queue_size} requests already. */
    REJECTED_QUEUE_FULL
  }

  /**
   * Requests to execute together.
   *
   * @param items the members, in queue order
   * @param rows their total rows
   */
  public record Batch<T>(List<T> items, int rows) {
    public Batch {
      items = List.copyOf(items);
    }
  }

  private static final class Entry<T> {
    final T item;
    final int rows;
    final long enqueueNanos;
    final Object batchKey;
    long deadlineNanos; // Long.MAX_VALUE: no queue timeout (or already delayed)

    Entry(T item, int rows, long enqueueNanos, long deadlineNanos, Object batchKey) {
      this.item = item;
      this.rows = rows;
      this.enqueueNanos = enqueueNanos;
      this.deadlineNanos = deadlineNanos;
      this.batchKey = batchKey;
    }
  }

  private static final class Level<T> {
    final BatchingPolicy.QueuePolicy policy;
    final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
    final ArrayDeque<Entry<T>> delayed = new ArrayDeque<>();

    Level(BatchingPolicy.QueuePolicy policy) {
      this.policy = policy;
    }

    int size() {
      return queue.size() + delayed.size();
    }
  }

  /** The batch the queue would give now, and when it is due. */
  private record Plan(int count, int rows, long dueNanos) {}

  private final BatchingPolicy policy;
  private final List<Level<T>> levels;
  private final List<T> rejected = new ArrayList<>();
  private int queuedRows;
  private int queuedRequests;
  // Queued entries that can still time out; when none, timeout scans are skipped.
  private int timedEntries;

  public BatchFormer(BatchingPolicy policy) {
    this.policy = policy;
    List<Level<T>> built = new ArrayList<>(policy.priorityLevels());
    for (int level = 1; level <= policy.priorityLevels(); level++) {
      built.add(new Level<>(policy.queuePolicy(level)));
    }
    this.levels = List.copyOf(built);
  }

  public BatchingPolicy policy() {
    return policy;
  }

  /**
   * Queues a request.
   *
   * @param rows its batch size, 1 to max batch size
   * @param priorityLevel 1 to priority levels; 0 (or above the last level) means the default level
   * @param timeoutNanos its queue timeout, 0 for none (resolve overrides with
   *     {@link BatchingPolicy.QueuePolicy#timeoutNanos})
   * @param batchKey equal keys may share a batch (e.g. the non-batch input shapes)
   */
  public Offer offer(T item, int rows, int priorityLevel, long nowNanos, long timeoutNanos, Object batchKey) {
    if (rows < 1 || rows > policy.maxBatchSize()) {
      throw new IllegalArgumentException("rows: " + rows + " (expected: >= 1 and <= " + policy.maxBatchSize() + ")");
    }
    if (timeoutNanos < 0) {
      throw new IllegalArgumentException("timeoutNanos: " + timeoutNanos + " (expected: >= 0)");
    }
    Level<T> level = levels.get(policy.level(priorityLevel) - 1);
    int maxQueueSize = level.policy.maxQueueSize();
    if (maxQueueSize > 0 && level.size() >= maxQueueSize) {
      return Offer.REJECTED_QUEUE_FULL;
    }
    long deadline = timeoutNanos == 0 ? Long.MAX_VALUE : saturatedAdd(nowNanos, timeoutNanos);
    level.queue.addLast(new Entry<>(item, rows, nowNanos, deadline, batchKey));
    if (deadline != Long.MAX_VALUE) {
      timedEntries++;
    }
    queuedRows += rows;
    queuedRequests++;
    return Offer.ACCEPTED;
  }

  /**
   * Applies queue timeouts: REJECT requests leave the queue and are returned (the caller fails
   * them); DELAY requests move behind the rest of their level and keep waiting.
   */
  public List<T> expired(long nowNanos) {
    applyTimeouts(nowNanos);
    if (rejected.isEmpty()) {
      return List.of();
    }
    List<T> result = List.copyOf(rejected);
    rejected.clear();
    return result;
  }

  /** The batch due now, removed from the queue, or null when none is due yet. */
  public @Nullable Batch<T> nextBatch(long nowNanos) {
    applyTimeouts(nowNanos);
    Plan plan = plan(nowNanos, false);
    return plan.count > 0 && plan.dueNanos <= nowNanos ? take(plan) : null;
  }

  /** The batch the queue would give if its delay had passed (to drain on close); null when empty. */
  public @Nullable Batch<T> drainBatch(long nowNanos) {
    applyTimeouts(nowNanos);
    Plan plan = plan(nowNanos, true);
    return plan.count > 0 ? take(plan) : null;
  }

  /**
   * When {@link #nextBatch} or {@link #expired} will next have something: now when a batch is due,
   * {@link Long#MAX_VALUE} when the queue is empty.
   */
  public long nextDeadlineNanos(long nowNanos) {
    Plan plan = plan(nowNanos, false);
    long batchDue = plan.count > 0 ? plan.dueNanos : Long.MAX_VALUE;
    return Math.min(batchDue, nextTimeoutNanos());
  }

  /** The earliest queue timeout still pending, or {@link Long#MAX_VALUE} when none. */
  public long nextTimeoutNanos() {
    long earliest = Long.MAX_VALUE;
    if (timedEntries == 0) {
      return earliest;
    }
    for (Level<T> level : levels) {
      for (Entry<T> entry : level.queue) {
        earliest = Math.min(earliest, entry.deadlineNanos);
      }
    }
    return earliest;
  }

  public int queuedRows() {
    return queuedRows;
  }

  public int queuedRequests() {
    return queuedRequests;
  }

  public boolean isEmpty() {
    return queuedRequests == 0 && rejected.isEmpty();
  }

  private void applyTimeouts(long nowNanos) {
    if (timedEntries == 0) {
      return;
    }
    for (Level<T> level : levels) {
      Iterator<Entry<T>> it = level.queue.iterator();
      while (it.hasNext()) {
        Entry<T> entry = it.next();
        if (entry.deadlineNanos > nowNanos) {
          continue;
        }
        it.remove();
        timedEntries--;
        if (level.policy.timeoutAction() == BatchingPolicy.TimeoutAction.DELAY) {
          entry.deadlineNanos = Long.MAX_VALUE;
          level.delayed.addLast(entry);
        } else {
          queuedRows -= entry.rows;
          queuedRequests--;
          rejected.add(entry.item);
        }
      }
    }
  }

  private Plan plan(long nowNanos, boolean flush) {
    int maxBatch = policy.maxBatchSize();
    int maxPreferred = policy.maxPreferredBatchSize();
    int count = 0;
    int rows = 0;
    long oldest = Long.MAX_VALUE;
    Object key = null;
    boolean sendNow = false;
    int bestCount = 0;
    int bestRows = 0;
    scan:
    for (Level<T> level : levels) {
      for (int pass = 0; pass < 2; pass++) {
        for (Entry<T> entry : pass == 0 ? level.queue : level.delayed) {
          if (count == 0) {
            key = entry.batchKey;
          } else {
            // The batch cannot reach a larger preferred size: what it has is the best preferred.
            if (rows + entry.rows > maxPreferred && bestCount == 0) {
              bestCount = count;
              bestRows = rows;
            }
            if (rows + entry.rows > maxBatch || !entry.batchKey.equals(key)) {
              sendNow = true;
              break scan;
            }
          }
          count++;
          rows += entry.rows;
          oldest = Math.min(oldest, entry.enqueueNanos);
          if (policy.preferredBatchSizes().contains(rows)) {
            bestCount = count;
            bestRows = rows;
          }
        }
      }
    }
    if (count == 0) {
      return new Plan(0, 0, Long.MAX_VALUE);
    }
    long delay = policy.maxQueueDelayNanos();
    long delayDue = saturatedAdd(oldest, delay);
    // Triton: a zero delay is never exceeded (preferred sizes cut), yet nothing waits for it.
    boolean delayExceeded = flush || (delay != 0 && delayDue <= nowNanos);
    if (bestCount > 0 && !delayExceeded) {
      return new Plan(bestCount, bestRows, nowNanos);
    }
    if (sendNow || rows >= maxPreferred || delayExceeded || delay == 0) {
      return new Plan(count, rows, nowNanos);
    }
    return new Plan(count, rows, delayDue);
  }

  private Batch<T> take(Plan plan) {
    List<T> items = new ArrayList<>(plan.count);
    int remaining = plan.count;
    for (Level<T> level : levels) {
      while (remaining > 0 && !level.queue.isEmpty()) {
        Entry<T> entry = level.queue.pollFirst();
        if (entry.deadlineNanos != Long.MAX_VALUE) {
          timedEntries--;
        }
        items.add(entry.item);
        remaining--;
      }
      while (remaining > 0 && !level.delayed.isEmpty()) {
        items.add(level.delayed.pollFirst().item);
        remaining--;
      }
    }
    queuedRows -= plan.rows;
    queuedRequests -= plan.count;
    return new Batch<>(items, plan.rows);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
