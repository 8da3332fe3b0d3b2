package dev.yardmaster.backend.batching;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Triton's dynamic batcher for one model version: requests queue in a {@link BatchFormer}; a batch
 * is formed only when a model instance is free (so batches grow while all instances are busy) and
 * runs on one of {@code instance_group} count worker threads.
 *
 * <p>Whoever frees an instance or brings a request forms the batch that is due, so the common
 * paths add no thread hop: a request that finds the queue empty and an instance idle goes straight
 * to a worker (Triton's batcher forms at once then), and a worker that finishes a batch takes the
 * next due one itself. One timer thread handles only what falls due later: a batch waiting for
 * {@code max_queue_delay}, queue timeouts, and draining on close.
 *
 * <p>A request whose queue timeout passes under the REJECT action fails with DEADLINE_EXCEEDED and
 * Triton's message "Request timeout expired" (Triton itself answers UNAVAILABLE; the deadline
 * status is what the rest of Yardmaster uses for deadlines, and clients must not retry it blindly
 * as they would UNAVAILABLE). A full priority queue fails the request with RESOURCE_EXHAUSTED.
 */
public final class DynamicBatchScheduler implements Scheduler {
  private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** {@link #timerWakeNanos} while the timer thread is running: it sees every change before parking. */
  private static final long TIMER_AWAKE = Long.MIN_VALUE;

  private final ModelSpec spec;
  private final LongSupplier clock;
  private final BatchExecution execution;
  private final BatchFormer<PendingRequest> former;
  private final int instances;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ExecutorService workers;
  private final Thread timer;
  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
  private @Nullable BatchKey lastKey;
  // guarded by lock
  private int freeInstances;
  private boolean closing;
  private long timerWakeNanos = TIMER_AWAKE;

  public DynamicBatchScheduler(ModelSpec spec, ModelRunner runner, ModelStats stats) {
    this(spec, runner, stats, System::nanoTime);
  }

  /**
   * @param clock nanoseconds on the clock of {@link InferRequest#arrivalNanos()}
   * @throws IllegalArgumentException when the config's dynamic batching settings are invalid
   */
  public DynamicBatchScheduler(ModelSpec spec, ModelRunner runner, ModelStats stats, LongSupplier clock) {
    this.spec = spec;
    this.clock = clock;
    this.execution = new BatchExecution(spec, runner, stats, clock);
    this.former = new BatchFormer<>(BatchingPolicy.from(spec.config()));
    this.instances = Schedulers.instanceCount(spec.config());
    this.freeInstances = instances;
    this.workers = Executors.newFixedThreadPool(instances, Schedulers.threads(spec, "instance", ownThreads));
    this.timer = Schedulers.threads(spec, "batcher", ownThreads).newThread(this::runTimer);
    timer.start();
  }

  /** How many executions may run at once. */
  public int instances() {
    return instances;
  }

  @Override
  public CompletableFuture<InferResponse> submit(InferRequest request) {
    int rows;
    try {
      rows = execution.validate(request);
    } catch (InferenceException invalid) {
      return CompletableFuture.failedFuture(invalid);
    }
    BatchKey key = lastKey;
    if (key == null || !key.matches(request)) {
      key = BatchKey.of(request);
      lastKey = key; // racy but safe: keys are immutable, and a stale one only costs a rebuild
    }
    BatchingPolicy policy = former.policy();
    int level = policy.level(request.priority());
    BatchingPolicy.QueuePolicy queuePolicy = policy.queuePolicy(level);
    long timeoutNanos = queuePolicy.timeoutNanos(TimeUnit.MICROSECONDS.toNanos(request.timeoutMicros()));
    PendingRequest pending;
    Work work;
    lock.lock();
    try {
      if (closing) {
        return CompletableFuture.failedFuture(unloading());
      }
      long now = clock.getAsLong();
      pending = new PendingRequest(request, rows, now, timeoutNanos, inFlight);
      if (former.offer(pending, rows, level, now, timeoutNanos, key) == BatchFormer.Offer.REJECTED_QUEUE_FULL) {
        inFlight.decrementAndGet();
        return CompletableFuture.failedFuture(InferenceException.resourceExhausted(
            "model '%s' priority level %d queued requests: %d (expected: < max_queue_size %d); retry later",
            spec.name(), level, queuePolicy.maxQueueSize(), queuePolicy.maxQueueSize()));
      }
      work = takeWork(now);
      if (work.batch == null && timeoutNanos > 0 && timerWakeNanos != TIMER_AWAKE
          && now + timeoutNanos - timerWakeNanos < 0) {
        // busy instances: only the new queue timeout can move the timer's wake-up earlier
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    failTimedOut(work.timedOut);
    if (work.batch != null) {
      List<PendingRequest> members = work.batch;
      workers.execute(() -> runBatches(members));
    }
    return pending.future;
  }

  @Override
  public int queuedRows() {
    lock.lock();
    try {
      return former.queuedRows();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int inFlightRequests() {
    return inFlight.get();
  }

  /** Rejects new requests as UNAVAILABLE, executes everything queued, then stops the threads. */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (ownThreads.contains(Thread.currentThread())) {
      // Closed from a callback on one of our threads: waiting for them would wait for ourselves.
      return;
    }
    Uninterruptibles.joinUninterruptibly(timer);
  }

  private InferenceException unloading() {
    return InferenceException.unavailable("model '%s' is unloading", spec.name());
  }

  /** Requests whose queue timeout passed, and the batch to run now (null when none is due). */
  private record Work(List<PendingRequest> timedOut, @Nullable List<PendingRequest> batch) {}

  private static final Work NOTHING = new Work(List.of(), null);

  /**
   * Under the lock: takes the timed-out requests and, when an instance is free, the batch due now,
   * reserving the instance for it. Wakes the timer when the queue holds something it must watch
   * that it may not know of yet (something due later, or a batch for another free instance).
   */
  private Work takeWork(long now) {
    List<PendingRequest> timedOut = former.expired(now);
    List<PendingRequest> members = null;
    if (freeInstances > 0) {
      BatchFormer.Batch<PendingRequest> batch = closing ? former.drainBatch(now) : former.nextBatch(now);
      if (batch != null) {
        freeInstances--;
        members = batch.items();
      }
      if (freeInstances > 0 && !former.isEmpty() && timerWakeNanos != TIMER_AWAKE
          && former.nextDeadlineNanos(now) - timerWakeNanos < 0) {
        changed.signal();
      }
    }
    return timedOut.isEmpty() && members == null ? NOTHING : new Work(timedOut, members);
  }

  /** A worker's loop: runs its batch, then the next due one while there is one, then frees the instance. */
  private void runBatches(List<PendingRequest> first) {
    List<PendingRequest> members = first;
    while (members != null) {
      execution.execute(members);
      Work work;
      lock.lock();
      try {
        freeInstances++;
        work = takeWork(clock.getAsLong());
        if (work.batch == null && (closing || !former.isEmpty())) {
          // the timer waits for this instance: to drain, or for a batch that is not due yet
          changed.signal();
        }
      } finally {
        lock.unlock();
      }
      // Futures complete outside the lock: callers' callbacks may run on this thread.
      failTimedOut(work.timedOut);
      members = work.batch;
    }
  }

  /** The timer thread: queue timeouts, batches due after a delay, and the drain on close. */
  private void runTimer() {
    while (true) {
      Work work;
      lock.lock();
      try {
        timerWakeNanos = TIMER_AWAKE;
        long now = clock.getAsLong();
        work = takeWork(now);
        if (work == NOTHING) {
          if (closing && former.isEmpty() && freeInstances == instances) {
            workers.shutdown();
            return;
          }
          // Busy instances: only a queue timeout or a freed instance can change anything.
          long deadline = freeInstances > 0 ? former.nextDeadlineNanos(now) : former.nextTimeoutNanos();
          park(now, deadline);
        }
      } finally {
        lock.unlock();
      }
      failTimedOut(work.timedOut);
      if (work.batch != null) {
        List<PendingRequest> members = work.batch;
        workers.execute(() -> runBatches(members));
      }
    }
  }

  private void park(long now, long deadline) {
    long nanos = Math.max(1, Math.min(deadline - now, MAX_PARK_NANOS));
    timerWakeNanos = now + nanos;
    try {
      changed.awaitNanos(nanos);
    } catch (InterruptedException e) {
      // The timer is only interrupted by mistake; the loop re-checks its state.
      Thread.interrupted();
    }
  }

  private void failTimedOut(List<PendingRequest> timedOut) {
    for (PendingRequest pending : timedOut) {
      execution.failTimedOut(pending);
    }
  }
}
