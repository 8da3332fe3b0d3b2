package dev.yardmaster.router.front;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.pool.Forwarder;
import dev.yardmaster.router.pool.Pool;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * ModelStreamInfer at the router: each request on the stream is routed and forwarded as a ModelInfer
 * (with retries) and answered on the stream; failures are answered in-band as {@code error_message}, as
 * Triton does, and the stream completes once the client half-closed and every answer is written.
 */
final class StreamForwarder implements StreamObserver<ModelInferRequest> {

  /** Routes and forwards one request, answering exactly once on {@code out}. */
  @FunctionalInterface
  interface Dispatch {
    void dispatch(ModelInferRequest request, StreamObserver<ModelInferResponse> out);
  }

  private final Dispatch dispatch;
  private final StreamObserver<ModelStreamInferResponse> out;
  private int pending;
  private boolean halfClosed;
  private boolean done;

  StreamForwarder(Dispatch dispatch, StreamObserver<ModelStreamInferResponse> out) {
    this.dispatch = dispatch;
    this.out = out;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    synchronized (this) {
      pending++;
    }
    dispatch.dispatch(request, new StreamObserver<>() {
      @Override
      public void onNext(ModelInferResponse response) {
        answer(ModelStreamInferResponse.newBuilder().setInferResponse(response).build(), true);
      }

      @Override
      public void onError(Throwable error) {
        Status status = Status.fromThrowable(error);
        answer(ModelStreamInferResponse.newBuilder()
            .setErrorMessage(status.getCode() + ": " + status.getDescription()).build(), true);
      }

      @Override
      public void onCompleted() { }
    });
  }

  private synchronized void answer(ModelStreamInferResponse response, boolean wasPending) {
    if (done) {
      return;
    }
    out.onNext(response);
    if (wasPending) {
      pending--;
    }
    if (halfClosed && pending == 0) {
      done = true;
      out.onCompleted();
    }
  }

  @Override
  public synchronized void onError(Throwable error) {
    done = true; // the client went away; the tries are cancelled with its context
  }

  @Override
  public synchronized void onCompleted() {
    halfClosed = true;
    if (pending == 0 && !done) {
      done = true;
      out.onCompleted();
    }
  }
}
