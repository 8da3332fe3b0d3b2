package dev.yardmaster.router.server.grpc;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.server.ServingCore;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One {@code ModelStreamInfer} call, as Triton answers it: every request gets one final response,
 * in request order ({@link StreamAnswers}); a failed request is answered with {@code
 * error_message} (and its id) and the stream goes on. The stream completes once the client half-closed and every answer was sent; a
 * server stop ends it with UNAVAILABLE after the accepted requests were answered.
 */
final class StreamInferObserver implements StreamObserver<ModelInferRequest> {

  private final ServingCore core;
  private final Function<ModelInferRequest, CompletableFuture<ModelInferResponse>> infer;
  private final StreamObserver<ModelStreamInferResponse> responses;
  /** The call's event loop: every answer and the completion go out from it, in order. */
  private final Executor eventLoop;
  private final Runnable stopListener = this::endForStop;
  /** Requests not yet answered, plus one for the open request side. */
  private final AtomicInteger pending = new AtomicInteger(1);
  /** Guarded by this. */
  private final StreamAnswers answers = new StreamAnswers();
  /** Guarded by this: the response side was completed, failed or cancelled. */
  private boolean ended;

  private StreamInferObserver(ServingCore core,
      Function<ModelInferRequest, CompletableFuture<ModelInferResponse>> infer,
      StreamObserver<ModelStreamInferResponse> responses, Executor eventLoop) {
    this.core = core;
    this.infer = infer;
    this.responses = responses;
    this.eventLoop = eventLoop;
  }

  static StreamInferObserver open(ServingCore core,
      Function<ModelInferRequest, CompletableFuture<ModelInferResponse>> infer,
      StreamObserver<ModelStreamInferResponse> responses, Executor eventLoop) {
    StreamInferObserver observer = new StreamInferObserver(core, infer, responses, eventLoop);
    core.addStopListener(observer.stopListener);
    return observer;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    pending.incrementAndGet();
    StreamAnswers.Slot slot;
    synchronized (this) {
      slot = answers.reserve();
    }
    // Armeria hands a message sent off the event loop to it, while the half-close runs on it: a
    // completion sent from there could overtake answers still queued, so all go from there
    infer.apply(request).whenCompleteAsync((response, error) -> {
      ModelStreamInferResponse answer = error != null
          ? StreamAnswers.failure(request, InferenceException.from(error).getMessage())
          : StreamAnswers.answer(response);
      int written;
      synchronized (this) {
        written = answers.complete(slot, answer, this::send);
      }
      for (int i = 0; i < written; i++) {
        finishOne();
      }
    }, eventLoop);
  }

  private synchronized void send(ModelStreamInferResponse answer) {
    if (ended) {
      return;
    }
    try {
      responses.onNext(answer);
    } catch (RuntimeException closed) {
      end(); // the client went away; the remaining answers have no reader
    }
  }

  private void finishOne() {
    if (pending.decrementAndGet() == 0) {
      synchronized (this) {
        if (!ended) {
          end();
          responses.onCompleted();
        }
      }
    }
  }

  private synchronized void endForStop() {
    if (!ended) {
      end();
      responses.onError(Status.UNAVAILABLE.withDescription("server: stopping (expected: a running server)")
          .asRuntimeException());
    }
  }

  private void end() {
    ended = true;
    core.removeStopListener(stopListener);
  }

  @Override
  public synchronized void onError(Throwable error) {
    end(); // cancelled by the client
  }

  @Override
  public void onCompleted() {
    finishOne();
  }
}
