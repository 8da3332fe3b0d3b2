package dev.yardmaster.router.server.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.jspecify.annotations.Nullable;

/**
 * Renders the statuses Armeria produces itself (unknown path, wrong method, body too large, the
 * latter naming the limit) as KServe's {@code {"error": "..."}} so HTTP clients see one error grammar.
 */
final class JsonErrorHandler implements ServerErrorHandler {

  @Override
  public @Nullable HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    return null; // the default handler maps the exception to a status, rendered below
  }

  @Override
  public @Nullable AggregatedHttpResponse renderStatus(@Nullable ServiceRequestContext ctx, ServiceConfig config,
      @Nullable RequestHeaders headers, HttpStatus status, @Nullable String description,
      @Nullable Throwable cause) {
    String request = headers == null ? "request" : headers.method() + " " + headers.path();
    String message;
    if (status.equals(HttpStatus.NOT_FOUND)) {
      message = request + ": no such endpoint (expected: a KServe v2 path, e.g. /v2/models/{model}/infer)";
    } else if (status.equals(HttpStatus.METHOD_NOT_ALLOWED)) {
      message = request + ": method not allowed (expected: GET for metadata, POST for infer and repository)";
    } else if (status.equals(HttpStatus.REQUEST_ENTITY_TOO_LARGE)) {
      // as Triton's, the refusal names the limit the body went over
      message = String.format("%s: request body of more than %d bytes (expected: at most %d bytes, the server's "
          + "maximum message size)", request, config.maxRequestLength(), config.maxRequestLength());
    } else {
      message = request + ": " + (description == null ? status.reasonPhrase() : description);
    }
    return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, JsonWriter.error(message));
  }
}
