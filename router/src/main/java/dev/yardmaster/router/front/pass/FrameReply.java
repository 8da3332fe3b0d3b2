package dev.yardmaster.router.front.pass;

import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import dev.yardmaster.router.grpcwire.GrpcReplies;
import dev.yardmaster.router.routing.CallFacts;
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
    response.complete(GrpcReplies.message(headers().build(), value.bytes()));
  }

  @Override
  public void onError(Throwable error) {
    response.complete(GrpcReplies.trailersOnly(headers(), error));
  }

  private ResponseHeadersBuilder headers() {
    ResponseHeadersBuilder headers = GrpcReplies.headers();
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
}
