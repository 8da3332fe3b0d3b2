package dev.yardmaster.router.pool;

import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Forwards one ModelInfer to a pool: picks an endpoint, tries with a per-try timeout within the
 * caller's deadline, and retries on another endpoint when a try fails before any response
 * (UNAVAILABLE, a reset stream, a per-try timeout) while the retry budget and the deadline allow.
 * An endpoint's answer that the model or version is not ready there ({@link ModelNotReadyAnswer}) or
 * that it is too busy to take the request ({@link EndpointBusyAnswer}: queue full, queue timeout) is
 * retried the same way but does not count against the endpoint in outlier detection.
 * Failover away from an endpoint that is out of rotation (ejected by this very failure, unhealthy,
 * removed) takes no budget permit; retries to endpoints still in rotation do.
 * Every call ends with exactly one response or status on {@code out}.
 */
public final class Forwarder {

  private Forwarder() {}

  /**
   * Forwards {@code request} to {@code pool}. Must be called in the caller's gRPC {@link Context} so
   * that its cancellation cancels the tries.
   */
  public static void infer(Pool pool, ModelInferRequest request, Deadline callerDeadline, Metadata headers,
      StreamObserver<ModelInferResponse> out) {
    infer(pool, ProtoInfer.of(request, headers), callerDeadline, out);
  }

  /** Forwards {@code request} to {@code pool}, in whichever wire form it has. */
  public static <R> void infer(Pool pool, ForwardedInfer<R> request, Deadline callerDeadline,
      StreamObserver<R> out) {
    new Call<>(pool, request, callerDeadline, out).start();
  }

  /** Rows a request carries: the first input's batch dimension when it has one, else 1. */
  public static long rows(ModelInferRequest request) {
    if (request.getInputsCount() == 0) {
      return 1;
    }
    ModelInferRequest.InferInputTensor first = request.getInputs(0);
    return first.getShapeCount() >= 2 ? Math.max(1, first.getShape(0)) : 1;
  }

  private static final class Call<R> {
    private final Pool pool;
    private final ForwardedInfer<R> request;
    private final Deadline callerDeadline;
    private final StreamObserver<R> out;
    private final long rows;
    private final List<Endpoint> tried = new ArrayList<>(2);
    private final RetryBudget budget;
    private @Nullable Status lastFailure;
    private @Nullable String lastEndpoint;

    Call(Pool pool, ForwardedInfer<R> request, Deadline callerDeadline, StreamObserver<R> out) {
      this.pool = pool;
      this.request = request;
      this.callerDeadline = callerDeadline;
      this.out = out;
      this.rows = request.rows();
      this.budget = pool.retryBudget();
    }

    void start() {
      budget.requestStarted();
      attempt(false);
    }

    /** One try; {@code holdsPermit} when it took a retry-budget permit, released when the try ends. */
    private void attempt(boolean holdsPermit) {
      Endpoint endpoint = pool.pick(tried);
      if (endpoint == null) {
        if (holdsPermit) {
          budget.releaseRetry();
        }
        finishWithError(lastFailure != null ? describeFailure(lastFailure)
            : Status.UNAVAILABLE.withDescription("pool '" + pool.name() + "': no healthy endpoint ("
                + pool.describeEndpoints() + ")"));
        return;
      }
      tried.add(endpoint);
      long perTryNanos = TimeUnit.MILLISECONDS.toNanos(pool.config().retry().perTryTimeoutMillis());
      long remainingNanos = callerDeadline.timeRemaining(TimeUnit.NANOSECONDS);
      boolean perTryBounded = perTryNanos < remainingNanos;
      Deadline tryDeadline = perTryBounded ? Deadline.after(perTryNanos, TimeUnit.NANOSECONDS) : callerDeadline;
      long startNanos = System.nanoTime();
      endpoint.begin(rows);
      TryObserver observer = new TryObserver(endpoint, startNanos, perTryBounded, holdsPermit);
      try {
        request.send(endpoint, tryDeadline, observer);
      } catch (RuntimeException failure) { // e.g. a client closed by a reload: still one end per begin
        observer.onError(Status.UNAVAILABLE.withDescription("try not sent: " + failure).withCause(failure)
            .asRuntimeException());
      }
    }

    private final class TryObserver implements StreamObserver<R> {
      private final Endpoint endpoint;
      private final long startNanos;
      private final boolean perTryBounded;
      private final boolean holdsPermit;
      private @Nullable R response;

      TryObserver(Endpoint endpoint, long startNanos, boolean perTryBounded, boolean holdsPermit) {
        this.endpoint = endpoint;
        this.startNanos = startNanos;
        this.perTryBounded = perTryBounded;
        this.holdsPermit = holdsPermit;
      }

      @Override
      public void onNext(R value) {
        response = value;
      }

      @Override
      public void onCompleted() {
        if (holdsPermit) {
          budget.releaseRetry();
        }
        R value = response;
        String problem = value == null ? "no response message (expected: one ModelInferResponse)"
            : request.problem(value);
        if (problem != null) {
          endpoint.end(rows, -1);
          pool.recordOutcome(endpoint, true);
          finishWithError(Status.INTERNAL.withDescription("pool '" + pool.name() + "' endpoint " + endpoint.id()
              + " sent a malformed response: " + problem));
          return;
        }
        endpoint.end(rows, System.nanoTime() - startNanos);
        pool.recordOutcome(endpoint, false);
        budget.requestFinished();
        out.onNext(value);
        out.onCompleted();
      }

      @Override
      public void onError(Throwable error) {
        if (holdsPermit) {
          budget.releaseRetry();
        }
        endpoint.end(rows, -1);
        Status status = Status.fromThrowable(error);
        boolean callerGone = request.callerCancelled() || callerDeadline.isExpired();
        // The endpoint did not run the request for a reason of its own moment (the model or version is
        // not ready there, its queue is full or the queue timeout passed): another endpoint may take
        // it, and the endpoint is fine.
        boolean refusedHere = ModelNotReadyAnswer.matches(status) || EndpointBusyAnswer.matches(status);
        boolean retryable = !callerGone && (refusedHere || switch (status.getCode()) {
          case UNAVAILABLE -> true;
          case CANCELLED -> true; // reset by the endpoint (RST_STREAM, GOAWAY), not by our caller
          case DEADLINE_EXCEEDED -> perTryBounded;
          default -> false;
        });
        boolean endpointFailure = !refusedHere && switch (status.getCode()) {
          case UNAVAILABLE, INTERNAL, UNKNOWN, DATA_LOSS -> true;
          case CANCELLED, DEADLINE_EXCEEDED -> !callerGone;
          default -> false;
        };
        if (!refusedHere) {
          pool.recordOutcome(endpoint, endpointFailure);
        }
        if (!endpointFailure && !refusedHere) {
          finishWithError(status); // the endpoint's answer (INVALID_ARGUMENT, NOT_FOUND, ...), passed on as is
          return;
        }
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && perTryBounded && !callerGone && !refusedHere) {
          status = Status.DEADLINE_EXCEEDED.withDescription("per-try timeout of "
              + pool.config().retry().perTryTimeoutMillis() + " ms exceeded");
        }
        lastFailure = status;
        lastEndpoint = endpoint.id();
        if (retryable && tried.size() <= pool.config().retry().maxRetries()) {
          // Failing over from an endpoint that is out of rotation (just ejected, unhealthy, removed) is
          // not amplification: the pool must absorb that load anyway, so it takes no budget permit.
          boolean failover = !endpoint.selectable();
          boolean permit = !failover && budget.tryAcquireRetry();
          if (failover || permit) {
            pool.metrics().retries().increment();
            attempt(permit);
            return;
          }
        }
        finishWithError(callerGone && callerDeadline.isExpired()
            ? Status.DEADLINE_EXCEEDED.withDescription("pool '" + pool.name() + "': deadline exceeded after "
                + tried.size() + (tried.size() == 1 ? " try" : " tries") + " (last: endpoint " + endpoint.id()
                + " " + status.getCode() + ")")
            : describeFailure(status));
      }
    }

    private Status describeFailure(Status status) {
      return status.withDescription("pool '" + pool.name() + "' endpoint " + lastEndpoint + ": " + status.getCode()
          + (status.getDescription() == null ? "" : " " + status.getDescription()) + " (after " + tried.size()
          + (tried.size() == 1 ? " try" : " tries") + "; " + pool.describeEndpoints() + ")");
    }

    private void finishWithError(Status status) {
      budget.requestFinished();
      pool.metrics().failures().increment();
      out.onError(status.asRuntimeException());
    }
  }
}
