package dev.yardmaster.router.grpcwire;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import com.linecorp.armeria.common.stream.CancelledSubscriptionException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * gRPC over HTTP/2 as the pass-through paths speak it without grpc-java: the status of an answer
 * from its headers and trailers (or from a transport failure), and {@code grpc-message}
 * percent-encoding both ways.
 */
public final class GrpcWire {

  public static final String GRPC_STATUS = "grpc-status";
  public static final String GRPC_MESSAGE = "grpc-message";
  public static final String GRPC_TIMEOUT = "grpc-timeout";
  public static final String GRPC_ENCODING = "grpc-encoding";
  public static final String CONTENT_TYPE = "application/grpc";

  private GrpcWire() {}

  /** Whether {@code headers} open a call in gRPC's protobuf framing (not grpc-web, not JSON). */
  public static boolean isGrpcProto(RequestHeaders headers) {
    String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
    return CONTENT_TYPE.equals(type) || "application/grpc+proto".equals(type);
  }

  /**
   * The status an endpoint answered with: from the trailers, or from the headers of a
   * trailers-only answer; an HTTP status other than 200 mapped as gRPC's spec says.
   */
  public static Status status(HttpHeaders headers, HttpHeaders trailers) {
    String status = headers.get(":status");
    if (status != null && !status.equals("200")) {
      return fromHttp(Integer.parseInt(status)).withDescription("HTTP status " + status + " from the endpoint");
    }
    HttpHeaders carrier = trailers.contains(GRPC_STATUS) ? trailers : headers;
    String code = carrier.get(GRPC_STATUS);
    if (code == null) {
      return Status.INTERNAL.withDescription("no grpc-status from the endpoint");
    }
    Status answered;
    try {
      answered = Status.fromCodeValue(Integer.parseInt(code));
    } catch (NumberFormatException malformed) {
      return Status.UNKNOWN.withDescription("grpc-status: '" + code + "' (expected: a status code)");
    }
    String message = carrier.get(GRPC_MESSAGE);
    return message == null ? answered : answered.withDescription(decodeMessage(message));
  }

  /** The gRPC status of a failed exchange with an endpoint, as grpc-java's client reports it. */
  public static Status status(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ContentTooLargeException) { // an answer above a client's response length (none set one)
      return Status.RESOURCE_EXHAUSTED.withDescription(cause.toString()).withCause(cause);
    }
    if (cause instanceof ResponseTimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription("endpoint answered not in time").withCause(cause);
    }
    if (cause instanceof UnprocessedRequestException || cause instanceof ClosedSessionException) {
      return Status.UNAVAILABLE.withDescription(cause.toString()).withCause(cause);
    }
    if (cause instanceof ClosedStreamException || cause instanceof AbortedStreamException
        || cause instanceof CancelledSubscriptionException) {
      return Status.CANCELLED.withDescription(cause.toString()).withCause(cause);
    }
    return Status.fromThrowable(cause);
  }

  private static Status fromHttp(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Status.INTERNAL;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Status.UNAVAILABLE;
      default -> HttpStatus.valueOf(httpStatus).isSuccess() ? Status.INTERNAL : Status.UNKNOWN;
    };
  }

  /** {@code message} percent-encoded as {@code grpc-message} carries it. */
  public static String encodeMessage(String message) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length);
    for (byte b : utf8) {
      if (b >= 0x20 && b <= 0x7e && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** A {@code grpc-message} value decoded; malformed escapes are kept as they are. */
  public static String decodeMessage(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
      if (c == '%' && low >= 0) {
        out.write((high << 4) | low);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(raw, 0, raw.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
