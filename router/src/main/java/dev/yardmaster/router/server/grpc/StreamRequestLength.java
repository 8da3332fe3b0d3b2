package dev.yardmaster.router.server.grpc;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;

/**
 * Lifts the server's request length from ModelStreamInfer calls. Armeria bounds a request's whole
 * body by it, which for a unary call is one message; a stream's body is every message its client
 * sends, so a long-lived stream would be cut once its messages added up to the limit (64 MiB by
 * default), where Triton bounds each message alone. Each message stays bounded by the gRPC
 * service's {@code maxRequestMessageLength}: a message above it is still {@code RESOURCE_EXHAUSTED}.
 */
public final class StreamRequestLength implements DecoratingHttpServiceFunction {

  private static final String STREAM_PATH =
      "/" + GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName();

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (ctx.path().equals(STREAM_PATH)) {
      ctx.setMaxRequestLength(0); // unbounded in total; per message, the gRPC service's limit
    }
    return delegate.serve(ctx, req);
  }
}
