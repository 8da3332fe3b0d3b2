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
 * ModelStreamInfer at the router: each request on the stream is forwarded as a ModelInfer (with
 * retries) and answered on the stream; failures are answered in-band as {@code error_message}, as
 * Triton does, and the stream completes once the client half-closed and every answer is written.
 */
final class StreamForwarder implements StreamObserver<ModelInferRequest> {

  private final @Nullable Pool pool;
  private final List<String> poolNames;
  private final Deadline deadline;
  private final Metadata headers;
  private final StreamObserver<ModelStreamInferResponse> out;
  private int pending;
  private boolean halfClosed;
  private boolean done;

  StreamForwarder(@Nullable Pool pool, List<String> poolNames, Deadline deadline, Metadata headers,
      StreamObserver<ModelStreamInferResponse> out) {
    this.pool = pool;
    this.poolNames = poolNames;
    this.deadline = deadline;
    this.headers = headers;
    this.out = out;
  }

  @Override
  public void onNext(ModelInferRequest request) {
    if (pool == null) {
      answer(ModelStreamInferResponse.newBuilder().setErrorMessage(
          "x-yardmaster-pool: missing (expected: one of " + poolNames + " when several pools are configured)").build(),
          false);
      return;
    }
    synchronized (this) {
      pending++;
    }
    Forwarder.infer(pool, request, deadline, headers, new StreamObserver<>() {
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
