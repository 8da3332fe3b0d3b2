package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ModelStats.FailureReason;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.backend.ServedModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A model version served in this process: validates each request against its spec, then hands it
 * to its scheduler. Requests that fail validation are counted as failures in its stats. Closing it
 * closes the scheduler (queued requests finish) and then the runner.
 */
public final class LocalServedModel implements ServedModel, AutoCloseable {

  private final ModelSpec spec;
  private final ModelRunner runner;
  private final Scheduler scheduler;
  private final ModelStats stats;
  private final RequestValidator validator;
  private final LongSupplier nanoClock;
  private volatile boolean closed;
  /** Calls inside {@link #infer} that may still submit; close waits for them before closing the scheduler. */
  private final AtomicInteger entering = new AtomicInteger();

  public LocalServedModel(ModelSpec spec, ModelRunner runner, Scheduler scheduler, ModelStats stats) {
    this(spec, runner, scheduler, stats, System::nanoTime);
  }

  /** With the clock that {@link InferRequest#arrivalNanos()} is measured on. */
  public LocalServedModel(ModelSpec spec, ModelRunner runner, Scheduler scheduler, ModelStats stats,
      LongSupplier nanoClock) {
    this.spec = spec;
    this.runner = runner;
    this.scheduler = scheduler;
    this.stats = stats;
    this.validator = new RequestValidator(spec);
    this.nanoClock = nanoClock;
  }

  @Override
  public ModelSpec spec() {
    return spec;
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
    try {
      if (closed) {
        // Resolved just before a reload or unload swapped it out; the caller may resolve again.
        throw InferenceException.unavailable("model '%s' version '%s' is not ready: unloaded", spec.name(),
            spec.version());
      }
      validator.validate(request);
    } catch (InferenceException e) {
      stats.recordFailure(Math.max(0, nanoClock.getAsLong() - request.arrivalNanos()), FailureReason.OTHER);
      return CompletableFuture.failedFuture(e);
    }
    try {
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
    return scheduler.queuedRows();
  }

  @Override
  public int queuedRequests() {
    return scheduler.queuedRequests();
  }

  @Override
  public int inFlightRequests() {
    return scheduler.inFlightRequests();
  }

  /** The runtime label of the runner, e.g. {@code onnxruntime-cpu}. */
  public String runnerKind() {
    return runner.kind();
  }

  /**
   * Refuses new requests, waits for calls already past that check to hand theirs to the scheduler,
   * then closes the scheduler (draining what it accepted) and the runner.
   */
  @Override
  public void close() {
    closed = true;
    while (entering.get() > 0) {
      Thread.yield(); // a submit only enqueues (or runs one direct execution); the wait is short
    }
    try {
      scheduler.close();
    } finally {
      runner.close();
    }
  }
}
