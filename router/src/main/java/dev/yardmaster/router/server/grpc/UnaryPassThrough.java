package dev.yardmaster.router.server.grpc;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.grpcwire.GrpcFrame;
import dev.yardmaster.router.grpcwire.GrpcReplies;
import dev.yardmaster.router.grpcwire.PlainUnaryCall;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's unary ModelInfer and bench Echo without grpc-java: a {@link PlainUnaryCall} is
 * aggregated, its one frame parsed (bytes fields aliasing it), answered by the service's own steps
 * ({@link InferenceGrpcService#modelInfer(ServiceRequestContext, ModelInferRequest, UnaryAnswer)},
 * {@link BenchEchoService#echo(ModelInferRequest)}) and the response serialized straight into its
 * frame, skipping grpc-java's server call layer, which costs most of the server's CPU per small
 * request. The caller's {@code grpc-timeout} bounds the request through admission, which enforces
 * it on the call's event loop (Armeria does not know of it here). Every other call (other methods,
 * compressed messages, grpc-web, malformed frames or {@code grpc-timeout}) goes to the gRPC service
 * as before.
 */
public final class UnaryPassThrough implements DecoratingHttpServiceFunction {

  /** System property that turns the pass-through off ({@code false}): every call takes the gRPC service. */
  public static final String ENABLED_PROPERTY = "yardmaster.server.passThrough";

  static final String MODEL_INFER_PATH = "/" + GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();
  static final String ECHO_PATH = "/" + BenchEchoGrpc.getEchoMethod().getFullMethodName();

  private static final ResponseHeaders MESSAGE_HEADERS = GrpcReplies.headers().build();
  private static final LongAdder ANSWERED = new LongAdder();

  private final InferenceGrpcService service;

  public UnaryPassThrough(InferenceGrpcService service) {
    this.service = service;
  }

  /** Whether the pass-through is on: unless the system property says {@code false}. */
  public static boolean enabled() {
    return !"false".equals(System.getProperty(ENABLED_PROPERTY));
  }

  /** Calls this path answered in this JVM, for tests and diagnostics. */
  public static long answered() {
    return ANSWERED.sum();
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    RequestHeaders headers = req.headers();
    boolean infer = MODEL_INFER_PATH.equals(headers.path());
    if (!infer && !ECHO_PATH.equals(headers.path())) {
      return delegate.serve(ctx, req);
    }
    if (PlainUnaryCall.timeoutNanos(headers) == PlainUnaryCall.NOT_PLAIN) {
      return PlainUnaryCall.declined(delegate, ctx, req);
    }
    return HttpResponse.of(req.aggregate().thenCompose(whole -> answer(delegate, ctx, whole, infer)));
  }

  private CompletableFuture<HttpResponse> answer(HttpService delegate, ServiceRequestContext ctx,
      AggregatedHttpRequest whole, boolean infer) {
    ModelInferRequest request = GrpcFrame.parse(whole.content().array(), ModelInferRequest.parser());
    if (request == null) {
      return CompletableFuture.completedFuture(PlainUnaryCall.generalPath(delegate, ctx, whole));
    }
    ANSWERED.increment();
    FrameAnswer answer = new FrameAnswer();
    if (infer) {
      service.modelInfer(ctx, request, answer);
    } else {
      answer.succeed(BenchEchoService.echo(request));
    }
    return answer;
  }

  /** The answer as it is written: one frame with status 0, or a trailers-only status. */
  private static final class FrameAnswer extends CompletableFuture<HttpResponse> implements UnaryAnswer {

    @Override
    public void succeed(ModelInferResponse response) {
      complete(GrpcReplies.message(MESSAGE_HEADERS, GrpcFrame.of(response)));
    }

    @Override
    public void fail(StatusRuntimeException error) {
      complete(GrpcReplies.trailersOnly(GrpcReplies.headers(), error));
    }
  }
}
