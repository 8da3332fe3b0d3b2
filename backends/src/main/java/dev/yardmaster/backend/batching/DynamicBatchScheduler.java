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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>A model whose config allows it ({@link InlineExecution}) runs a batch on the caller's own
 * thread when the caller offers one ({@link #submit(InferRequest, Executor)}, e.g. the call's
 * event loop) and executions of the batch's size recently took no longer than the limit: for a
 * tiny model the hop to the instance thread and back costs as much as the execution. The
 * submission reserves the idle instance; a task on the caller's executor forms the batch once the
 * caller has finished what it is doing (so requests it reads meanwhile join the batch), runs it,
 * then takes further due batches while its time inline stays within the limit, and hands the rest
 * to an instance thread. A submission from within an inline execution (a caller's callback) is
 * never deferred, so the caller's thread is not held in a loop of its own making.
 *
 * <p>A request submitted with a caller executor is completed there ({@link ResponseDelivery}):
 * an instance thread hands each batch's responses to their callers' event loops, one task per
 * loop, and takes the next batch while the loops encode and write the responses.
 *
 * <p>With {@code dynamic_batching.preserve_ordering} a {@link ResponseOrder} numbers each batch as
 * it forms (inline ones too) and holds a batch's completions until every earlier batch's were
 * released; without it (the default) nothing is numbered or held, and a batch that finishes on
 * one instance before an earlier one on another answers first.
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

  /** The model config parameter of {@link InlineExecution}: microseconds, 0 (the default) for never. */
  public static final String INLINE_EXECUTION_PARAMETER = InlineExecution.PARAMETER;

  /** The scheduler running an inline execution on this thread, if any. */
  private static final ThreadLocal<DynamicBatchScheduler> INLINE_RUNNER = new ThreadLocal<>();

  private final ModelSpec spec;
  private final LongSupplier clock;
  private final InlineExecution inline;
  private final BatchExecution execution;
  private final BatchFormer<PendingRequest> former;
  /** Null unless the config asks to preserve ordering: then each batch is numbered and released in turn. */
  private final @Nullable ResponseOrder order;
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
    this.order = former.policy().preserveOrdering() ? new ResponseOrder() : null;
    this.inline = InlineExecution.from(spec.config());
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
    return enqueue(request, null, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>With inline execution allowed, a submission that finds an instance idle and a batch due
   * reserves the instance and leaves the batch to a task on {@code callerExecutor}: the batch is
   * formed when that task runs, so requests the caller reads meanwhile (e.g. the rest of an event
   * loop's read) join it, and it runs there when its size is cheap enough.
   */
  @Override
  public CompletableFuture<InferResponse> submit(InferRequest request, Executor callerExecutor) {
    return enqueue(request, inline.enabled() && INLINE_RUNNER.get() == null ? callerExecutor : null,
        callerExecutor);
  }

  /**
   * @param formOn where to form (and maybe run) the batch when this request reserves an instance
   * @param deliverOn where to complete the request's future ({@link ResponseDelivery})
   */
  private CompletableFuture<InferResponse> enqueue(InferRequest request, @Nullable Executor formOn,
      @Nullable Executor deliverOn) {
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
      pending = new PendingRequest(request, rows, now, timeoutNanos, deliverOn, inFlight);
      if (former.offer(pending, rows, level, now, timeoutNanos, key) == BatchFormer.Offer.REJECTED_QUEUE_FULL) {
        inFlight.decrementAndGet();
        return CompletableFuture.failedFuture(InferenceException.resourceExhausted(
            "model '%s' priority level %d queued requests: %d (expected: < max_queue_size %d); retry later",
            spec.name(), level, queuePolicy.maxQueueSize(), queuePolicy.maxQueueSize()));
      }
      work = formOn != null ? reserveForLater(now) : takeWork(now);
      if (work.batch == null && !work.reserved && timeoutNanos > 0 && timerWakeNanos != TIMER_AWAKE
          && now + timeoutNanos - timerWakeNanos < 0) {
        // busy instances: only the new queue timeout can move the timer's wake-up earlier
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    failTimedOut(work.timedOut);
    if (work.batch != null) {
      Work batch = work;
      workers.execute(() -> runBatches(batch));
    } else if (work.reserved && formOn != null) {
      try {
        formOn.execute(() -> runReserved(formOn));
      } catch (RejectedExecutionException callerGone) {
        workers.execute(() -> runReserved(null));
      }
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
  public int queuedRequests() {
    lock.lock();
    try {
      return former.queuedRequests();
    } finally {
      lock.unlock();
    }
  }

  /** Whether every instance is free and nothing is queued (tests wait for it). */
  boolean idle() {
    lock.lock();
    try {
      return freeInstances == instances && former.isEmpty();
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
    if (INLINE_RUNNER.get() == this || ownThreads.contains(Thread.currentThread())) {
      // Closed from a callback on a thread running our batches: waiting would wait for ourselves.
      return;
    }
    Uninterruptibles.joinUninterruptibly(timer);
  }

  private InferenceException unloading() {
    return InferenceException.unavailable("model '%s' is unloading", spec.name());
  }

  /**
   * Requests whose queue timeout passed, and the batch to run now (null when none is due).
   *
   * @param batchRows the batch's rows (0 without one)
   * @param sequence the batch's number in its {@link ResponseOrder} (0 without one)
   * @param reserved whether an instance was reserved for a batch to be formed later instead
   */
  private record Work(List<PendingRequest> timedOut, @Nullable List<PendingRequest> batch, int batchRows,
      long sequence, boolean reserved) {}

  private static final Work NOTHING = new Work(List.of(), null, 0, 0, false);

  /**
   * Under the lock: takes the timed-out requests and, when an instance is free and a batch is due,
   * reserves the instance for {@link #runReserved} to form the batch later.
   */
  private Work reserveForLater(long now) {
    List<PendingRequest> timedOut = former.expired(now);
    if (freeInstances > 0 && !former.isEmpty() && former.nextDeadlineNanos(now) - now <= 0) {
      freeInstances--;
      return new Work(timedOut, null, 0, 0, true);
    }
    return timedOut.isEmpty() ? NOTHING : new Work(timedOut, null, 0, 0, false);
  }

  /**
   * Forms the batch for an instance {@link #reserveForLater} reserved and runs it: inline when
   * allowed and its size is cheap enough, else on an instance thread; frees the instance when no
   * batch is due any more (its requests timed out).
   *
   * @param here the caller executor running this task, where the batch may run; null on an
   *     instance thread
   */
  private void runReserved(@Nullable Executor here) {
    Work work;
    lock.lock();
    try {
      long now = clock.getAsLong();
      List<PendingRequest> timedOut = former.expired(now);
      BatchFormer.Batch<PendingRequest> batch = closing ? former.drainBatch(now) : former.nextBatch(now);
      if (batch == null) {
        freeInstances++;
        if (closing || !former.isEmpty()) {
          changed.signal(); // the timer watches what is left
        }
        work = new Work(timedOut, null, 0, 0, false);
      } else {
        work = new Work(timedOut, batch.items(), batch.rows(), order == null ? 0 : order.nextSequence(), false);
      }
    } finally {
      lock.unlock();
    }
    failTimedOut(work.timedOut);
    if (work.batch == null) {
      return;
    }
    if (here != null && inline.allows(execution.predictNanos(work.batchRows))) {
      runInline(work, here);
    } else {
      Work batch = work;
      workers.execute(() -> runBatches(batch));
    }
  }

  /**
   * Under the lock: takes the timed-out requests and, when an instance is free, the batch due now,
   * reserving the instance for it. Wakes the timer when the queue holds something it must watch
   * that it may not know of yet (something due later, or a batch for another free instance).
   */
  private Work takeWork(long now) {
    List<PendingRequest> timedOut = former.expired(now);
    List<PendingRequest> members = null;
    int rows = 0;
    long sequence = 0;
    if (freeInstances > 0) {
      BatchFormer.Batch<PendingRequest> batch = closing ? former.drainBatch(now) : former.nextBatch(now);
      if (batch != null) {
        freeInstances--;
        members = batch.items();
        rows = batch.rows();
        if (order != null) {
          sequence = order.nextSequence();
        }
      }
      if (freeInstances > 0 && !former.isEmpty() && timerWakeNanos != TIMER_AWAKE
          && former.nextDeadlineNanos(now) - timerWakeNanos < 0) {
        changed.signal();
      }
    }
    return timedOut.isEmpty() && members == null ? NOTHING : new Work(timedOut, members, rows, sequence, false);
  }

  /** A worker's loop: runs its batch, then the next due one while there is one, then frees the instance. */
  private void runBatches(Work first) {
    Work work = first;
    List<PendingRequest> members = work.batch;
    while (members != null) {
      execution.execute(members, null, order, work.sequence);
      work = freeInstanceAndTakeNext(clock.getAsLong());
      members = work.batch;
    }
  }

  /**
   * A submitting thread's inline run: its batch, then further due batches while its time inline
   * is expected to stay within the limit; a batch beyond that goes to an instance thread.
   */
  private void runInline(Work first, Executor here) {
    INLINE_RUNNER.set(this);
    try {
      long startNanos = clock.getAsLong();
      Work work = first;
      while (true) {
        execution.execute(work.batch, here, order, work.sequence);
        long now = clock.getAsLong();
        Work next = freeInstanceAndTakeNext(now);
        if (next.batch == null) {
          return;
        }
        long predicted = execution.predictNanos(next.batchRows);
        if (predicted < 0 || !inline.allows(now - startNanos + predicted)) {
          workers.execute(() -> runBatches(next));
          return;
        }
        work = next;
      }
    } finally {
      INLINE_RUNNER.remove();
    }
  }

  /**
   * After an execution: frees its instance, fails what timed out, and takes the next due batch
   * (with the instance reserved for it) if there is one.
   */
  private Work freeInstanceAndTakeNext(long now) {
    Work work;
    lock.lock();
    try {
      freeInstances++;
      work = takeWork(now);
      if (work.batch == null && (closing || !former.isEmpty())) {
        // the timer waits for this instance: to drain, or for a batch that is not due yet
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    // Futures complete outside the lock: callers' callbacks may run on this thread.
    failTimedOut(work.timedOut);
    return work;
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
            break;
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
        Work batch = work;
        workers.execute(() -> runBatches(batch));
      }
    }
    if (order != null) {
      // Every execution has ended; a batch that ended without handing in its completions must not hold the rest.
      order.releaseAll();
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
