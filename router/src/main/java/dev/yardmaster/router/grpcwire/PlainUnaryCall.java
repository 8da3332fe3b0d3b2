package dev.yardmaster.router.grpcwire;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.admission.GrpcTimeout;
import org.jspecify.annotations.Nullable;

/**
 * What a pass-through path takes from in front of Armeria's gRPC service: a POST in gRPC's protobuf
 * framing, uncompressed, with a well-formed or absent {@code grpc-timeout}. Anything else, and a
 * taken call whose frame it cannot read, goes to the general gRPC service, which answers it as it
 * always did.
 */
public final class PlainUnaryCall {

  /** {@link #timeoutNanos}: not a call a pass-through takes. */
  public static final long NOT_PLAIN = -2;
  /** {@link #timeoutNanos}: the caller sent no {@code grpc-timeout}. */
  public static final long NO_TIMEOUT = -1;

  private PlainUnaryCall() {}

  /**
   * The caller's {@code grpc-timeout} in nanoseconds ({@link #NO_TIMEOUT} when it sent none) when
   * {@code headers} open a plain gRPC call (the path is the caller's to check); {@link #NOT_PLAIN}
   * otherwise.
   */
  public static long timeoutNanos(RequestHeaders headers) {
    if (headers.method() != HttpMethod.POST) {
      return NOT_PLAIN;
    }
    String encoding = headers.get(GrpcWire.GRPC_ENCODING);
    if (!GrpcWire.isGrpcProto(headers) || !(encoding == null || "identity".equals(encoding))) {
      return NOT_PLAIN;
    }
    @Nullable String timeout = headers.get(GrpcWire.GRPC_TIMEOUT);
    if (timeout == null) {
      return NO_TIMEOUT;
    }
    try {
      return GrpcTimeout.parseNanos(timeout);
    } catch (InferenceException malformed) {
      return NOT_PLAIN; // answered by the general service, as before
    }
  }

  /**
   * The general gRPC service answers a unary call the pass-through declined (compressed, grpc-web, a
   * malformed timeout), aggregated here first within the server's request length. Armeria's gRPC
   * service would read it as a stream and, past that length, end the call with no status (UNKNOWN
   * to the client); aggregated here, an oversized call fails as the pass-through's own do, and
   * {@link OversizedRequests} answers it {@code RESOURCE_EXHAUSTED}.
   */
  public static HttpResponse declined(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(req.aggregate().thenApply(whole -> generalPath(delegate, ctx, whole)));
  }

  /** The general gRPC service answers the call, from its aggregated request. */
  public static HttpResponse generalPath(HttpService delegate, ServiceRequestContext ctx, AggregatedHttpRequest whole) {
    HttpRequest again = whole.toHttpRequest();
    ctx.updateRequest(again);
    try {
      return delegate.serve(ctx, again);
    } catch (Exception failure) {
      return HttpResponse.ofFailure(failure);
    }
  }
}
