package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** A request accepted by a scheduler and not yet answered. */
final class PendingRequest {
  final InferRequest request;
  final int rows;
  final long enqueueNanos;
  final long timeoutNanos;
  /** Where the caller wants its response completed (see {@link ResponseDelivery}); null: anywhere. */
  final @Nullable Executor deliverOn;
  final CompletableFuture<InferResponse> future = new CompletableFuture<>();
  private final AtomicInteger inFlight;

  PendingRequest(InferRequest request, int rows, long enqueueNanos, long timeoutNanos,
      @Nullable Executor deliverOn, AtomicInteger inFlight) {
    this.request = request;
    this.rows = rows;
    this.enqueueNanos = enqueueNanos;
    this.timeoutNanos = timeoutNanos;
    this.deliverOn = deliverOn;
    this.inFlight = inFlight;
    inFlight.incrementAndGet();
  }

  /** When the request arrived; the enqueue time when the caller's stamp is from another clock. */
  long arrivalNanos() {
    long arrival = request.arrivalNanos();
    return arrival == 0 || arrival - enqueueNanos > 0 ? enqueueNanos : arrival;
  }

  // The count drops before the future completes so that a caller who joins it sees the scheduler idle.
  void complete(InferResponse response) {
    inFlight.decrementAndGet();
    future.complete(response);
  }

  void fail(InferenceException error) {
    inFlight.decrementAndGet();
    future.completeExceptionally(error);
  }
}
