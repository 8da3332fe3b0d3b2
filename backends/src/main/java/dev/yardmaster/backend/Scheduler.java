package dev.yardmaster.backend;

import java.util.concurrent.CompletableFuture;

/**
 * Takes validated requests for one model version and completes each with its own response:
 * directly (one execution per request) or through the dynamic batcher.
 */
public interface Scheduler extends AutoCloseable {

  /** Schedules the request; failures complete the future with an {@link InferenceException}. */
  CompletableFuture<InferResponse> submit(InferRequest request);

  /** Rows waiting in the queue (not yet executing). */
  int queuedRows();

  /** Requests accepted and not yet completed. */
  int inFlightRequests();

  /** Stops taking requests, finishes what is queued, then releases threads. */
  @Override
  void close();
}
