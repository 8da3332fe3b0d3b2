package dev.yardmaster.router.server.grpc;

import dev.yardmaster.backend.InferenceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps {@link InferenceException} statuses to gRPC statuses, keeping the message. */
final class GrpcStatuses {

  private GrpcStatuses() {}

  static Status toStatus(InferenceException.Status status) {
    return switch (status) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case UNIMPLEMENTED -> Status.UNIMPLEMENTED;
      case INTERNAL -> Status.INTERNAL;
      case CANCELLED -> Status.CANCELLED;
    };
  }

  /** The gRPC error for any failure; non-inference failures become INTERNAL naming the cause. */
  static StatusRuntimeException toException(Throwable error) {
    InferenceException inference = InferenceException.from(error);
    return toStatus(inference.status()).withDescription(inference.getMessage()).asRuntimeException();
  }
}
