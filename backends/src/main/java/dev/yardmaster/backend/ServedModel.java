package dev.yardmaster.backend;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A loaded, ready model version: validates requests and hands them to its scheduler. */
public interface ServedModel {

  ModelSpec spec();

  /**
   * Validates and schedules a request. Never throws: every failure (bad input included)
   * completes the future exceptionally with an {@link InferenceException}.
   */
  CompletableFuture<InferResponse> infer(InferRequest request);

  /**
   * As {@link #infer(InferRequest)}, offering the caller's thread for cheap executions: see
   * {@link Scheduler#submit(InferRequest, Executor)}.
   */
  default CompletableFuture<InferResponse> infer(InferRequest request, Executor callerExecutor) {
    return infer(request);
  }

  ModelStats stats();

  /** Rows waiting to execute. */
  int queuedRows();

  /** Requests waiting to execute (Triton's pending request count). */
  int queuedRequests();

  /** Requests accepted and not yet answered. */
  int inFlightRequests();
}
