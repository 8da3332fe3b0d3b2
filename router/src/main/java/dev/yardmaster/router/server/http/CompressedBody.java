package dev.yardmaster.router.server.http;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.encoding.StreamDecoderFactory;
import com.linecorp.armeria.common.util.CompositeException;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.encoding.DecodingService;
import dev.yardmaster.backend.InferenceException;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.compression.DecompressionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An inference request body's {@code Content-Encoding}, as Triton's HandleInfer takes it: gzip and
 * deflate are undone by Armeria's {@link DecodingService} before the body is read, within the
 * server's request size limit; any other encoding is 415 listing these two in {@code Accept-Encoding}.
 * A body that does not decompress is a 400 naming its encoding, and one that decompresses past the
 * limit (a compression bomb) a 413 naming the limit.
 */
final class CompressedBody {

  static final String SUPPORTED_ENCODINGS = "gzip, deflate";
  /** The Content-Encoding as received: the decoder takes the header off the request it decodes. */
  private static final AttributeKey<String> RECEIVED_ENCODING =
      AttributeKey.valueOf(CompressedBody.class, "RECEIVED_ENCODING");

  private CompressedBody() {}

  /**
   * Undoes a gzip or deflate {@code Content-Encoding} (the decoders stop at the request size limit),
   * keeping the encoding received for the messages of {@link #bodyFailure}.
   */
  static Function<? super HttpService, HttpService> decoder() {
    Function<? super HttpService, DecodingService> decoding =
        DecodingService.newDecorator(StreamDecoderFactory.gzip(), StreamDecoderFactory.deflate());
    return service -> {
      HttpService decoded = decoding.apply(service);
      return (ctx, req) -> {
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null) {
          ctx.setAttr(RECEIVED_ENCODING, encoding);
        }
        return decoded.serve(ctx, req);
      };
    };
  }

  /**
   * Throws when a Content-Encoding is left on the request, one the decoder does not know: as Triton,
   * 415 Unsupported Media Type with the supported encodings in {@code Accept-Encoding}
   * ({@code INVALID_ARGUMENT} for the metrics).
   */
  static void checkDecoded(ServiceRequestContext ctx, @Nullable String contentEncoding) {
    if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.equalsIgnoreCase("identity")) {
      ctx.setAdditionalResponseHeader(HttpHeaderNames.ACCEPT_ENCODING, SUPPORTED_ENCODINGS);
      throw new InferenceException(InferenceException.Status.INVALID_ARGUMENT, String.format(
          "request header Content-Encoding: %s (expected: one of %s, or identity)", contentEncoding,
          SUPPORTED_ENCODINGS), HttpStatusException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE));
    }
  }

  /**
   * The answer to a body that could not be read because of its size or encoding, or null when
   * {@code failure} is another one. The decoder reports a bad stream as a {@link DecompressionException},
   * sometimes among others in a {@link CompositeException}.
   */
  static @Nullable HttpResponse bodyFailure(ServiceRequestContext ctx, Throwable failure) {
    String contentEncoding = ctx.attr(RECEIVED_ENCODING);
    Deque<Throwable> causes = new ArrayDeque<>();
    causes.add(failure);
    for (int seen = 0; !causes.isEmpty() && seen < 16; seen++) {
      Throwable cause = causes.poll();
      if (cause instanceof ContentTooLargeException) {
        long limit = ctx.maxRequestLength();
        return HttpResponse.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, MediaType.JSON_UTF_8, JsonWriter.error(
            contentEncoding == null
                ? String.format("request body: more than %d bytes (expected: at most %d bytes, the server's maximum "
                    + "message size)", limit, limit)
                : String.format("request body: more than %d bytes once decompressed (Content-Encoding: %s; "
                    + "expected: at most %d bytes, the server's maximum message size)", limit, contentEncoding, limit)));
      }
      if (cause instanceof DecompressionException && contentEncoding != null) {
        return KServeHttpService.error(InferenceException.invalidArgument("request body: not %s data (expected: a "
            + "body compressed as its Content-Encoding: %s says; %s)", contentEncoding, contentEncoding,
            cause.getMessage()));
      }
      if (cause instanceof CompositeException composite) {
        causes.addAll(composite.getExceptions());
      } else if (cause.getCause() != null) {
        causes.add(cause.getCause());
      }
    }
    return null;
  }
}
