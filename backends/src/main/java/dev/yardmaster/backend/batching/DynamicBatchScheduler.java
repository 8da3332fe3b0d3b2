package dev.yardmaster.backend.batching;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import java.util.ArrayList;
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

/**
 * Triton's dynamic batcher for one model version: requests queue in a {@link BatchFormer}; one
 * dispatcher thread forms a batch only when a model instance is free (so batches grow while all
 * instances are busy) and hands it to one of {@code instance_group} count worker threads.
 *
 * <p>A request whose queue timeout passes under the REJECT action fails with DEADLINE_EXCEEDED and
 * Triton's message "Request timeout expired" (Triton itself answers UNAVAILABLE; the deadline
 * status is what the rest of Yardmaster uses for deadlines, and clients must not retry it blindly
 * as they would UNAVAILABLE). A full priority queue fails the request with RESOURCE_EXHAUSTED.
 */
public final class DynamicBatchScheduler implements Scheduler {
  private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ModelSpec spec;
  private final LongSupplier clock;
  private final BatchExecution execution;
  private final BatchFormer<PendingRequest> former;
  private final int instances;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ExecutorService workers;
  private final Thread dispatcher;
  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
  private int freeInstances;
  private boolean closing;

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
    this.dispatcher = Schedulers.threads(spec, "batcher", ownThreads).newThread(this::dispatch);
    dispatcher.start();
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
    Object key = BatchExecution.batchKey(request);
    BatchingPolicy policy = former.policy();
    int level = policy.level(request.priority());
    BatchingPolicy.QueuePolicy queuePolicy = policy.queuePolicy(level);
    long timeoutNanos = queuePolicy.timeoutNanos(TimeUnit.MICROSECONDS.toNanos(request.timeoutMicros()));
    lock.lock();
    try {
      if (closing) {
        return CompletableFuture.failedFuture(unloading());
      }
      long now = clock.getAsLong();
      PendingRequest pending = new PendingRequest(request, rows, now, timeoutNanos, inFlight);
      if (former.offer(pending, rows, level, now, timeoutNanos, key) == BatchFormer.Offer.REJECTED_QUEUE_FULL) {
        inFlight.decrementAndGet();
        return CompletableFuture.failedFuture(InferenceException.resourceExhausted(
            "model '%s' priority level %d queued requests: %d (expected: < max_queue_size %d); retry later",
            spec.name(), level, queuePolicy.maxQueueSize(), queuePolicy.maxQueueSize()));
      }
      changed.signal();
      return pending.future;
    } finally {
      lock.unlock();
    }
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
    Uninterruptibles.joinUninterruptibly(dispatcher);
  }

  private InferenceException unloading() {
    return InferenceException.unavailable("model '%s' is unloading", spec.name());
  }

  private void dispatch() {
    List<PendingRequest> timedOut = new ArrayList<>();
    while (true) {
      BatchFormer.Batch<PendingRequest> batch = null;
      lock.lock();
      try {
        long now = clock.getAsLong();
        timedOut.addAll(former.expired(now));
        if (timedOut.isEmpty()) {
          if (freeInstances > 0) {
            batch = closing ? former.drainBatch(now) : former.nextBatch(now);
          }
          if (batch != null) {
            freeInstances--;
          } else if (closing && former.isEmpty() && freeInstances == instances) {
            workers.shutdown();
            return;
          } else {
            // Busy instances: only a queue timeout or a freed instance can change anything.
            long deadline = freeInstances > 0 ? former.nextDeadlineNanos(now) : former.nextTimeoutNanos();
            park(deadline - now);
          }
        }
      } finally {
        lock.unlock();
      }
      // Futures complete outside the lock: callers' callbacks may run on this thread.
      for (PendingRequest pending : timedOut) {
        execution.failTimedOut(pending);
      }
      timedOut.clear();
      if (batch != null) {
        List<PendingRequest> members = batch.items();
        workers.execute(() -> runBatch(members));
      }
    }
  }

  private void park(long nanos) {
    try {
      changed.awaitNanos(Math.max(1, Math.min(nanos, MAX_PARK_NANOS)));
    } catch (InterruptedException e) {
      // The dispatcher is only interrupted by mistake; the loop re-checks its state.
      Thread.interrupted();
    }
  }

  private void runBatch(List<PendingRequest> members) {
    try {
      execution.execute(members);
    } finally {
      lock.lock();
      try {
        freeInstances++;
        changed.signal();
      } finally {
        lock.unlock();
      }
    }
  }
}
