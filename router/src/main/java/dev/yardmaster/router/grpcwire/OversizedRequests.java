package dev.yardmaster.router.grpcwire;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Answers a gRPC call whose request outgrew the server's request length as gRPC servers answer a
 * message above their limit: {@code RESOURCE_EXHAUSTED}, naming the limit. The pass-through paths
 * aggregate the request, so Armeria's HTTP/2 decoder is what trips, and its HTTP 413 reads as
 * {@code UNKNOWN} ("HTTP status code 413") to gRPC clients. Other failures, and calls not in gRPC's
 * protobuf framing, keep Armeria's default answer.
 */
public final class OversizedRequests implements ServerErrorHandler {

  private final Status tooLarge;

  private OversizedRequests(Status tooLarge) {
    this.tooLarge = tooLarge;
  }

  /** Refusals naming {@code limit}, e.g. {@code "1 MiB, the router's server.max_message_mb"}. */
  public static OversizedRequests naming(long maxBytes, String limit) {
    return new OversizedRequests(Status.RESOURCE_EXHAUSTED.withDescription(
        "request: more than " + maxBytes + " bytes (expected: a message of at most " + limit + ")"));
  }

  @Override
  public @Nullable HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    boolean tooLong = cause instanceof ContentTooLargeException
        || cause instanceof HttpStatusException status && status.getCause() instanceof ContentTooLargeException;
    if (!tooLong || !GrpcWire.isGrpcProto(ctx.request().headers())) {
      return null; // Armeria's own answer
    }
    return GrpcReplies.trailersOnly(GrpcReplies.headers(), tooLarge, null);
  }
}
