package dev.yardmaster.router.front;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.GrpcTimeout;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Gives each call on Armeria the gRPC {@link Context} grpc-java's own server gives it: cancelled
 * when the call ends or the client cancels, and carrying the caller's {@code grpc-timeout} as its
 * deadline. The forwarder relies on both: its tries run in this context, so a caller that goes
 * away (or runs out of time) cancels them, and {@code Context.current().getDeadline()} is the
 * deadline passed on to the endpoint. Armeria itself enforces the same timeout on the call.
 */
final class CallContextInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    ServiceRequestContext armeria = ServiceRequestContext.currentOrNull();
    long timeoutNanos = armeria == null ? -1 : timeoutNanos(armeria);
    Context.CancellableContext context = timeoutNanos < 0
        ? Context.current().withCancellation()
        : Context.current().withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS, armeria.eventLoop());
    ServerCall.Listener<Q> listener;
    try {
      listener = Contexts.interceptCall(context, call, headers, next);
    } catch (RuntimeException failure) {
      context.cancel(failure);
      throw failure;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          context.cancel(null);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          context.cancel(null);
        }
      }
    };
  }

  /** The call's {@code grpc-timeout} in nanoseconds; -1 when it sent none or a malformed one. */
  private static long timeoutNanos(ServiceRequestContext armeria) {
    @Nullable String value = armeria.request().headers().get(Admission.GRPC_TIMEOUT_HEADER);
    if (value == null) {
      return -1;
    }
    try {
      return GrpcTimeout.parseNanos(value);
    } catch (InferenceException malformed) {
      return -1; // Armeria answers a malformed grpc-timeout itself
    }
  }
}
