package dev.yardmaster.router.front;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.router.pool.Forwarder;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.server.grpc.StreamAnswers;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * ModelStreamInfer at the router: each request on the stream is routed and forwarded as a ModelInfer
 * (with retries) and answered on the stream in request order, each answer final ({@link
 * StreamAnswers}); failures are answered in-band as {@code error_message}, as Triton does, and the
 * stream completes once the client half-closed and every answer is written.
 */
final class StreamForwarder implements StreamObserver<ModelInferRequest> {

  /** Routes and forwards one request, answering exactly once on {@code out}. */
  @FunctionalInterface
  interface Dispatch {
    void dispatch(ModelInferRequest request, StreamObserver<ModelInferResponse> out);
  }

  private final Dispatch dispatch;
  private final StreamObserver<ModelStreamInferResponse> out;
  // all guarded by this
  private final StreamAnswers answers = new StreamAnswers();
  private int pending;
  private boolean halfClosed;
  private boolean done;

  StreamForwarder(Dispatch dispatch, StreamObserver<ModelStreamInferResponse> out) {
    this.dispatch = dispatch;
    this.out = out;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    StreamAnswers.Slot slot;
    synchronized (this) {
      pending++;
      slot = answers.reserve();
    }
    dispatch.dispatch(request, new StreamObserver<>() {
      @Override
      public void onNext(ModelInferResponse response) {
        answer(slot, StreamAnswers.answer(response));
      }

      @Override
      public void onError(Throwable error) {
        Status status = Status.fromThrowable(error);
        answer(slot, StreamAnswers.failure(request, status.getCode() + ": " + status.getDescription()));
      }

      @Override
      public void onCompleted() { }
    });
  }

  private synchronized void answer(StreamAnswers.Slot slot, ModelStreamInferResponse response) {
    if (done) {
      return;
    }
    pending -= answers.complete(slot, response, out::onNext);
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
