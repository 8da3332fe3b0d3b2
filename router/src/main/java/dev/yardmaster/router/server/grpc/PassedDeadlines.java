package dev.yardmaster.router.server.grpc;

import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.server.RequestTimeoutException;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Ends a call whose {@code grpc-timeout} passed on the server DEADLINE_EXCEEDED, as gRPC core
 * (Triton's server) and grpc-java's servers do; Armeria's default handler answers its request
 * timeout CANCELLED. Every other failure is left to the handler after it.
 */
public final class PassedDeadlines implements GrpcExceptionHandlerFunction {

  /** This handler, then Armeria's default. */
  public static GrpcExceptionHandlerFunction thenDefault() {
    return new PassedDeadlines().orElse(GrpcExceptionHandlerFunction.of());
  }

  private PassedDeadlines() {}

  @Override
  public @Nullable Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
    if (cause instanceof RequestTimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription(
          "grpc-timeout: passed with the call still open (expected: an answer in time)").withCause(cause);
    }
    return null;
  }
}
