package dev.yardmaster.router.front;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.router.front.pass.FrameInfer;
import dev.yardmaster.router.front.pass.FrameReply;
import dev.yardmaster.router.front.pass.InferFrame;
import dev.yardmaster.router.grpcwire.PlainUnaryCall;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.CallFacts;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;

/**
 * The router's ModelInfer path: a unary ModelInfer in gRPC's protobuf framing, uncompressed, is
 * routed from the fields {@link InferFrame} reads off its bytes and its frame forwarded to the
 * endpoint unchanged ({@link FrameInfer}), skipping grpc-java's server and client call layers,
 * which cost the router most of its CPU per request. Admission ({@link CallAdmission}), routing
 * ({@link RouterGrpcService#route}, {@link LiveRouter}) and forwarding ({@code pool.Forwarder}) are
 * the general path's own. Every other call (other methods, compressed messages, grpc-web,
 * malformed requests or {@code grpc-timeout}) goes to the general gRPC service as before.
 */
final class ModelInferPassThrough implements DecoratingHttpServiceFunction {

  /** System property that turns the pass-through off ({@code false}): every call takes the general path. */
  static final String ENABLED_PROPERTY = "yardmaster.router.passThrough";

  private final Pools pools;
  private final LiveRouter router;
  private final long defaultTimeoutNanos;

  ModelInferPassThrough(Pools pools, LiveRouter router, long defaultTimeoutMillis) {
    this.pools = pools;
    this.router = router;
    this.defaultTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(defaultTimeoutMillis);
  }

  /** Whether the pass-through is on: unless the system property says {@code false}. */
  static boolean enabled() {
    return !"false".equals(System.getProperty(ENABLED_PROPERTY));
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    long callerTimeoutNanos = takes(req.headers());
    if (callerTimeoutNanos == PlainUnaryCall.NOT_PLAIN) {
      return InferFrame.MODEL_INFER_PATH.equals(req.headers().path())
          ? PlainUnaryCall.declined(delegate, ctx, req) : delegate.serve(ctx, req);
    }
    long receivedNanos = System.nanoTime();
    return HttpResponse.of(req.aggregate().thenApply(whole ->
        answer(delegate, ctx, whole, receivedNanos, callerTimeoutNanos)));
  }

  private HttpResponse answer(HttpService delegate, ServiceRequestContext ctx, AggregatedHttpRequest whole,
      long receivedNanos, long callerTimeoutNanos) {
    InferFrame frame = InferFrame.parse(whole.content().array());
    if (frame == null) {
      return PlainUnaryCall.generalPath(delegate, ctx, whole);
    }
    CallFacts facts = new CallFacts();
    FrameReply reply = new FrameReply(facts);
    CallAdmission.Verdict verdict = CallAdmission.check(pools, router, CallAdmission.MODEL_INFER,
        name -> whole.headers().get(name), receivedNanos);
    Status refusal = verdict.refusal();
    if (refusal != null) {
      reply.onError(refusal.asRuntimeException());
      return reply.response();
    }
    long timeoutNanos = callerTimeoutNanos == PlainUnaryCall.NO_TIMEOUT ? defaultTimeoutNanos : callerTimeoutNanos;
    Deadline deadline = Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
    try {
      RouterGrpcService.route(router, verdict.admitted(), facts, verdict.pinned(), deadline, receivedNanos,
          FrameInfer.of(frame, whole.headers(), ctx), reply);
    } catch (RuntimeException bug) { // the call still gets its one status, as grpc-java's server gives it
      reply.onError(Status.INTERNAL.withDescription("router: " + bug).withCause(bug).asRuntimeException());
    }
    return reply.response();
  }

  /**
   * The caller's {@code grpc-timeout} in nanoseconds ({@link PlainUnaryCall#NO_TIMEOUT} when it
   * sent none) when the call is a unary ModelInfer this path takes; {@link PlainUnaryCall#NOT_PLAIN}
   * otherwise.
   */
  static long takes(RequestHeaders headers) {
    return InferFrame.MODEL_INFER_PATH.equals(headers.path())
        ? PlainUnaryCall.timeoutNanos(headers) : PlainUnaryCall.NOT_PLAIN;
  }
}
