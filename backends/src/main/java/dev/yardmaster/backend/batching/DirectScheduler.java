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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Triton's default scheduler: no batching, each request is its own execution, FIFO, at most
 * {@code instance_group} count executions at once. Requests wait in an unbounded queue; priority
 * levels and queue timeouts belong to {@code dynamic_batching} and do not apply here.
 */
public final class DirectScheduler implements Scheduler {
  private final ModelSpec spec;
  private final LongSupplier clock;
  private final BatchExecution execution;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger queuedRows = new AtomicInteger();
  private final AtomicInteger queuedRequests = new AtomicInteger();
  private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();

  public DirectScheduler(ModelSpec spec, ModelRunner runner, ModelStats stats) {
    this(spec, runner, stats, System::nanoTime);
  }

  /** @param clock nanoseconds on the clock of {@link InferRequest#arrivalNanos()} */
  public DirectScheduler(ModelSpec spec, ModelRunner runner, ModelStats stats, LongSupplier clock) {
    this.spec = spec;
    this.clock = clock;
    this.execution = new BatchExecution(spec, runner, stats, clock);
    int instances = Schedulers.instanceCount(spec.config());
    this.workers = new ThreadPoolExecutor(instances, instances, 0, TimeUnit.NANOSECONDS,
        new LinkedBlockingQueue<>(), Schedulers.threads(spec, "instance", ownThreads));
  }

  @Override
  public CompletableFuture<InferResponse> submit(InferRequest request) {
    return enqueue(request, null);
  }

  /** {@inheritDoc} The response is completed on {@code callerExecutor} ({@link ResponseDelivery}). */
  @Override
  public CompletableFuture<InferResponse> submit(InferRequest request, Executor callerExecutor) {
    return enqueue(request, callerExecutor);
  }

  private CompletableFuture<InferResponse> enqueue(InferRequest request, @Nullable Executor deliverOn) {
    int rows;
    try {
      rows = execution.validate(request);
    } catch (InferenceException invalid) {
      return CompletableFuture.failedFuture(invalid);
    }
    if (workers.isShutdown()) {
      return CompletableFuture.failedFuture(unloading());
    }
    PendingRequest pending = new PendingRequest(request, rows, clock.getAsLong(), 0, deliverOn, inFlight);
    queuedRows.addAndGet(rows);
    queuedRequests.incrementAndGet();
    try {
      workers.execute(() -> {
        queuedRows.addAndGet(-rows);
        queuedRequests.decrementAndGet();
        execution.execute(List.of(pending), null);
      });
    } catch (RejectedExecutionException closedMeanwhile) {
      queuedRows.addAndGet(-rows);
      queuedRequests.decrementAndGet();
      pending.fail(unloading());
    }
    return pending.future;
  }

  @Override
  public int queuedRows() {
    return queuedRows.get();
  }

  @Override
  public int queuedRequests() {
    return queuedRequests.get();
  }

  @Override
  public int inFlightRequests() {
    return inFlight.get();
  }

  /** Rejects new requests as UNAVAILABLE, executes everything queued, then stops the threads. */
  @Override
  public void close() {
    workers.shutdown();
    if (ownThreads.contains(Thread.currentThread())) {
      // Closed from a callback on one of our threads: waiting for them would wait for ourselves.
      return;
    }
    Uninterruptibles.awaitTerminationUninterruptibly(workers);
  }

  private InferenceException unloading() {
    return InferenceException.unavailable("model '%s' is unloading", spec.name());
  }
}
