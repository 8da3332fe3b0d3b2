package dev.yardmaster.router.front.pass;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.yardmaster.router.routing.CallFacts;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The caller's side of a pass-through ModelInfer: collects the one answer (or status) the routing
 * produces and writes it as a gRPC response: the endpoint's frame unchanged with status 0, or a
 * trailers-only status with its trailers (such as {@code retry-after-ms}). The call's facts go on
 * the response headers as {@code x-yardmaster-pool}, {@code x-yardmaster-tier} and {@code
 * x-yardmaster-model-version}, as on the general path.
 */
public final class FrameReply implements StreamObserver<ResponseFrame> {

  private static final String POOL = "x-yardmaster-pool";
  private static final String TIER = "x-yardmaster-tier";
  private static final String MODEL_VERSION = "x-yardmaster-model-version";

  private final CallFacts facts;
  private final CompletableFuture<HttpResponse> response = new CompletableFuture<>();
  private @Nullable ResponseFrame answer;

  public FrameReply(CallFacts facts) {
    this.facts = facts;
  }

  /** The response, complete once the call is answered. */
  public HttpResponse response() {
    return HttpResponse.of(response);
  }

  @Override
  public void onNext(ResponseFrame value) {
    answer = value;
  }

  @Override
  public void onCompleted() {
    ResponseFrame value = answer;
    if (value == null) {
      onError(Status.INTERNAL.withDescription("no response message (expected: one ModelInferResponse)")
          .asRuntimeException());
      return;
    }
    response.complete(HttpResponse.of(headers().build(), HttpData.wrap(value.bytes()),
        HttpHeaders.of(GrpcWire.GRPC_STATUS, "0")));
  }

  @Override
  public void onError(Throwable error) {
    response.complete(HttpResponse.of(trailersOnly(Status.fromThrowable(error), Status.trailersFromThrowable(error))));
  }

  /** A trailers-only answer: the status, its trailers and the call's facts in one header block. */
  private ResponseHeaders trailersOnly(Status status, @Nullable Metadata trailers) {
    ResponseHeadersBuilder headers = headers().add(GrpcWire.GRPC_STATUS, Integer.toString(status.getCode().value()));
    String description = status.getDescription();
    if (description != null) {
      headers.add(GrpcWire.GRPC_MESSAGE, GrpcWire.encodeMessage(description));
    }
    if (trailers != null) {
      add(headers, trailers);
    }
    return headers.build();
  }

  private ResponseHeadersBuilder headers() {
    ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK)
        .add(HttpHeaderNames.CONTENT_TYPE, GrpcWire.CONTENT_TYPE);
    putIfPresent(headers, POOL, facts.pool());
    putIfPresent(headers, TIER, facts.tier());
    putIfPresent(headers, MODEL_VERSION, facts.modelVersion());
    return headers;
  }

  private static void putIfPresent(HttpHeadersBuilder headers, String name, @Nullable String value) {
    if (value != null && !headers.contains(name)) {
      headers.add(name, value);
    }
  }

  /** The ASCII entries of {@code trailers} (binary ones never occur on this path). */
  private static void add(HttpHeadersBuilder headers, Metadata trailers) {
    for (String key : trailers.keys()) {
      if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Iterable<String> values = trailers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        if (values != null) {
          values.forEach(value -> headers.add(key, value));
        }
      }
    }
  }
}
