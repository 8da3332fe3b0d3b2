package dev.yardmaster.backend.repository;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ModelStats.FailureReason;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.backend.ServedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A model version served in this process: validates each request against its spec, then hands it
 * to its scheduler. Requests that fail validation are counted as failures in its stats. Closing it
 * closes the scheduler (queued requests finish) and then the runner. A reload that changes only its
 * instance groups {@linkplain #update updates} it in place, keeping its runner and stats.
 */
public final class LocalServedModel implements ServedModel, AutoCloseable {

  private static final long RETIRE_POLL_NANOS = 50_000;

  /** What a request reads once: the spec, its validator and the scheduler serving them, swapped together. */
  private record Serving(ModelSpec spec, RequestValidator validator, Scheduler scheduler) {}

  private final ModelRunner runner;
  private final ModelStats stats;
  private final LongSupplier nanoClock;
  private volatile Serving serving;
  /** Threads closing schedulers that updates replaced; close waits for them before closing the runner. */
  private final List<Thread> retiring = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** Calls inside {@link #infer} that may still submit; close waits for them before closing the scheduler. */
  private final AtomicInteger entering = new AtomicInteger();

  public LocalServedModel(ModelSpec spec, ModelRunner runner, Scheduler scheduler, ModelStats stats) {
    this(spec, runner, scheduler, stats, System::nanoTime);
  }

  /** With the clock that {@link InferRequest#arrivalNanos()} is measured on. */
  public LocalServedModel(ModelSpec spec, ModelRunner runner, Scheduler scheduler, ModelStats stats,
      LongSupplier nanoClock) {
    this.runner = runner;
    this.stats = stats;
    this.nanoClock = nanoClock;
    this.serving = new Serving(spec, new RequestValidator(spec), scheduler);
  }

  @Override
  public ModelSpec spec() {
    return serving.spec();
  }

  @Override
  public CompletableFuture<InferResponse> infer(InferRequest request) {
    return enter(request, null);
  }

  @Override
  public CompletableFuture<InferResponse> infer(InferRequest request, Executor callerExecutor) {
    return enter(request, callerExecutor);
  }

  private CompletableFuture<InferResponse> enter(InferRequest request, @Nullable Executor callerExecutor) {
    entering.incrementAndGet();
    try {
      return validateAndSubmit(request, callerExecutor);
    } finally {
      entering.decrementAndGet();
    }
  }

  private CompletableFuture<InferResponse> validateAndSubmit(InferRequest request,
      @Nullable Executor callerExecutor) {
    Serving current = serving;
    try {
      if (closed) {
        // Resolved just before a reload or unload swapped it out; the caller may resolve again.
        throw InferenceException.unavailable("model '%s' version '%s' is not ready: unloaded", current.spec().name(),
            current.spec().version());
      }
      current.validator().validate(request);
    } catch (InferenceException e) {
      stats.recordFailure(Math.max(0, nanoClock.getAsLong() - request.arrivalNanos()), FailureReason.OTHER);
      return CompletableFuture.failedFuture(e);
    }
    try {
      Scheduler scheduler = current.scheduler();
      return callerExecutor == null ? scheduler.submit(request) : scheduler.submit(request, callerExecutor);
    } catch (RuntimeException e) {
      // A scheduler should fail the future instead; keep the "never throws" contract anyway.
      stats.recordFailure(Math.max(0, nanoClock.getAsLong() - request.arrivalNanos()), FailureReason.OTHER);
      return CompletableFuture.failedFuture(InferenceException.from(e));
    }
  }

  @Override
  public ModelStats stats() {
    return stats;
  }

  @Override
  public int queuedRows() {
    return serving.scheduler().queuedRows();
  }

  @Override
  public int queuedRequests() {
    return serving.scheduler().queuedRequests();
  }

  @Override
  public int inFlightRequests() {
    return serving.scheduler().inFlightRequests();
  }

  /** The runtime label of the runner, e.g. {@code onnxruntime-cpu}. */
  public String runnerKind() {
    return runner.kind();
  }

  /** The runner every scheduler of this version executes on. */
  ModelRunner runner() {
    return runner;
  }

  /**
   * Serves {@code updated} (this version with other instance groups or version policy) on {@code
   * scheduler}, which runs on this runner and counts in these stats, or on the same scheduler when
   * null (the instance groups are unchanged), as Triton's {@code UpdateInstanceGroup} keeps the
   * model: new requests go to {@code scheduler} at once; the old scheduler finishes what it
   * accepted and stops on a thread of its own, so neither the caller nor any request waits for it.
   */
  void update(ModelSpec updated, @Nullable Scheduler scheduler) {
    Scheduler replaced = serving.scheduler();
    serving = new Serving(updated, new RequestValidator(updated), scheduler == null ? replaced : scheduler);
    if (scheduler == null) {
      return;
    }
    Thread retire = new Thread(() -> {
      try {
        // Calls that read the old scheduler hand their requests to it first. New calls keep coming
        // (to the new one), so this waits by parking, not spinning: the count is soon 0.
        while (entering.get() > 0) {
          LockSupport.parkNanos(RETIRE_POLL_NANOS);
        }
        replaced.close();
      } finally {
        retiring.remove(Thread.currentThread());
      }
    }, "yardmaster-" + updated.name() + "-v" + updated.version() + "-retire");
    retire.setDaemon(true);
    retiring.add(retire);
    retire.start();
  }

  /**
   * Refuses new requests, waits for calls already past that check to hand theirs to the scheduler,
   * then closes the scheduler (draining what it accepted), waits for schedulers that updates
   * replaced to drain, and closes the runner.
   */
  @Override
  public void close() {
    closed = true;
    awaitEntering();
    try {
      serving.scheduler().close();
      retiring.forEach(Uninterruptibles::joinUninterruptibly);
    } finally {
      runner.close();
    }
  }

  private void awaitEntering() {
    while (entering.get() > 0) {
      Thread.yield(); // a submit only enqueues (or runs one direct execution); the wait is short
    }
  }
}
