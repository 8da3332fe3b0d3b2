package dev.yardmaster.router.pool;

import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * One ModelInfer as routing and {@link Forwarder} see it, whatever its wire form: the facts routing
 * needs (model, rows), how to add the tier's priority, how to send one try to an endpoint, whether
 * the caller went away, and how to check and read an answer of type {@code R}. The general gRPC
 * path forwards decoded messages ({@link ProtoInfer}); the pass-through path forwards the caller's
 * frame bytes. Retries, budgets, outlier detection and the checks stay in one place.
 *
 * @param <R> the answer as it is passed back to the caller
 */
public interface ForwardedInfer<R> {

  String modelName();

  /** Rows the request carries: the first input's batch dimension when it has one, else 1. */
  long rows();

  /** This request with Triton's {@code priority} parameter set to {@code priority}, unless the client set one. */
  ForwardedInfer<R> withPriority(long priority);

  /**
   * Sends one try to {@code endpoint}, bounded by {@code tryDeadline}; {@code observer} gets at most
   * one answer then completion, or one error (a {@link io.grpc.Status} as the general path has it).
   * The try is cancelled when the caller goes away.
   */
  void send(Endpoint endpoint, Deadline tryDeadline, StreamObserver<R> observer);

  /** Whether the caller cancelled the call (reset its stream, closed its connection). */
  boolean callerCancelled();

  /** What is wrong with an endpoint's answer ({@link ResponseCheck}), or null when it is well formed. */
  @Nullable String problem(R answer);

  /** The model version the answer names; empty when it names none. */
  String modelVersion(R answer);
}
