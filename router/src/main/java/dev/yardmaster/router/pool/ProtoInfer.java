package dev.yardmaster.router.pool;

import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * A decoded ModelInferRequest forwarded through the endpoints' gRPC stubs, in the caller's gRPC
 * {@link Context} (captured at creation), so that the caller's cancellation cancels the tries.
 */
public final class ProtoInfer implements ForwardedInfer<ModelInferResponse> {

  private final ModelInferRequest request;
  private final Metadata headers;
  private final Context context;

  private ProtoInfer(ModelInferRequest request, Metadata headers, Context context) {
    this.request = request;
    this.headers = headers;
    this.context = context;
  }

  /** {@code request} with the propagated {@code headers}, in the current gRPC Context. */
  public static ProtoInfer of(ModelInferRequest request, Metadata headers) {
    return new ProtoInfer(request, headers, Context.current());
  }

  /** The request as it will be sent. */
  public ModelInferRequest request() {
    return request;
  }

  @Override
  public String modelName() {
    return request.getModelName();
  }

  @Override
  public long rows() {
    return Forwarder.rows(request);
  }

  @Override
  public ProtoInfer withPriority(long priority) {
    if (request.containsParameters(ProtoTensorCodec.PRIORITY_PARAMETER)) {
      return this;
    }
    return new ProtoInfer(request.toBuilder().putParameters(ProtoTensorCodec.PRIORITY_PARAMETER,
        InferParameter.newBuilder().setInt64Param(priority).build()).build(), headers, context);
  }

  @Override
  public void send(Endpoint endpoint, Deadline tryDeadline, StreamObserver<ModelInferResponse> observer) {
    context.run(() -> endpoint.client().infer(request, tryDeadline, headers, observer));
  }

  @Override
  public boolean callerCancelled() {
    return context.isCancelled();
  }

  @Override
  public @Nullable String problem(ModelInferResponse answer) {
    return ResponseCheck.problem(answer);
  }

  @Override
  public String modelVersion(ModelInferResponse answer) {
    return answer.getModelVersion();
  }
}
