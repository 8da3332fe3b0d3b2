package dev.yardmaster.router.server.grpc;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One {@code ModelStreamInfer} call, as Triton answers it: every request gets one response in
 * completion order; a failed request is answered with {@code error_message} (and its id) and the
 * stream goes on. The stream completes once the client half-closed and every answer was sent.
 */
final class StreamInferObserver implements StreamObserver<ModelInferRequest> {

  private final Function<ModelInferRequest, CompletableFuture<ModelInferResponse>> infer;
  private final StreamObserver<ModelStreamInferResponse> responses;
  /** Requests not yet answered, plus one for the open request side. */
  private final AtomicInteger pending = new AtomicInteger(1);
  private volatile boolean cancelled;

  StreamInferObserver(Function<ModelInferRequest, CompletableFuture<ModelInferResponse>> infer,
      StreamObserver<ModelStreamInferResponse> responses) {
    this.infer = infer;
    this.responses = responses;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    pending.incrementAndGet();
    infer.apply(request).whenComplete((response, error) -> {
      ModelStreamInferResponse answer;
      if (error != null) {
        answer = ModelStreamInferResponse.newBuilder()
            .setErrorMessage(InferenceException.from(error).getMessage())
            .setInferResponse(ModelInferResponse.newBuilder()
                .setId(request.getId())
                .setModelName(request.getModelName())
                .setModelVersion(request.getModelVersion()))
            .build();
      } else {
        answer = ModelStreamInferResponse.newBuilder().setInferResponse(response).build();
      }
      send(answer);
      finishOne();
    });
  }

  private void send(ModelStreamInferResponse answer) {
    if (cancelled) {
      return;
    }
    synchronized (this) {
      try {
        responses.onNext(answer);
      } catch (RuntimeException closed) {
        cancelled = true; // the client went away; the remaining answers have no reader
      }
    }
  }

  private void finishOne() {
    if (pending.decrementAndGet() == 0 && !cancelled) {
      synchronized (this) {
        responses.onCompleted();
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    cancelled = true;
  }

  @Override
  public void onCompleted() {
    finishOne();
  }
}
