package dev.yardmaster.backend;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Takes validated requests for one model version and completes each with its own response:
 * directly (one execution per request) or through the dynamic batcher.
 */
public interface Scheduler extends AutoCloseable {

  /** Schedules the request; failures complete the future with an {@link InferenceException}. */
  CompletableFuture<InferResponse> submit(InferRequest request);

  /**
   * As {@link #submit(InferRequest)}, from a caller that offers its own thread: a scheduler may
   * run a cheap execution there instead of on an instance thread (see the dynamic batcher's inline
   * execution), and completes the returned future there, so the caller's continuation (encoding
   * and writing the response) does not hold an instance. {@code callerExecutor} runs tasks later
   * on the calling thread, e.g. the call's network event loop, and must not run them synchronously.
   */
  default CompletableFuture<InferResponse> submit(InferRequest request, Executor callerExecutor) {
    return submit(request);
  }

  /** Rows waiting in the queue (not yet executing). */
  int queuedRows();

  /** Requests waiting in the queue (not yet executing), whatever their batch sizes. */
  int queuedRequests();

  /** Requests accepted and not yet completed. */
  int inFlightRequests();

  /** Stops taking requests, finishes what is queued, then releases threads. */
  @Override
  void close();
}
