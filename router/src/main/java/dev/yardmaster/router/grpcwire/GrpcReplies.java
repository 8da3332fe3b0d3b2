package dev.yardmaster.router.grpcwire;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * A unary gRPC answer written without grpc-java: one message frame with {@code grpc-status: 0} in
 * the trailers, or a trailers-only status (the status, its message and trailers in the one header
 * block, as gRPC answers a call that fails before any message). The context's additional response
 * headers are added by Armeria as it writes either.
 */
public final class GrpcReplies {

  private static final HttpHeaders OK_TRAILERS = HttpHeaders.of(GrpcWire.GRPC_STATUS, "0");

  private GrpcReplies() {}

  /** The response headers every answer starts from: {@code :status 200}, gRPC's content type. */
  public static ResponseHeadersBuilder headers() {
    return ResponseHeaders.builder(HttpStatus.OK).add(HttpHeaderNames.CONTENT_TYPE, GrpcWire.CONTENT_TYPE);
  }

  /** {@code frame} (one message, see {@link GrpcFrame}) answered with status 0. */
  public static HttpResponse message(ResponseHeaders headers, byte[] frame) {
    return HttpResponse.of(headers, HttpData.wrap(frame), OK_TRAILERS);
  }

  /** A trailers-only answer: {@code status} and its ASCII {@code trailers} added to {@code headers}. */
  public static HttpResponse trailersOnly(ResponseHeadersBuilder headers, Status status, @Nullable Metadata trailers) {
    headers.add(GrpcWire.GRPC_STATUS, Integer.toString(status.getCode().value()));
    String description = status.getDescription();
    if (description != null) {
      headers.add(GrpcWire.GRPC_MESSAGE, GrpcWire.encodeMessage(description));
    }
    if (trailers != null) {
      for (String key : trailers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) { // binary ones never occur on these paths
          Iterable<String> values = trailers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (values != null) {
            values.forEach(value -> headers.add(key, value));
          }
        }
      }
    }
    return HttpResponse.of(headers.build());
  }

  /** A trailers-only answer for {@code error}: its status and trailers, as grpc-java's server sends them. */
  public static HttpResponse trailersOnly(ResponseHeadersBuilder headers, Throwable error) {
    return trailersOnly(headers, Status.fromThrowable(error), Status.trailersFromThrowable(error));
  }
}
