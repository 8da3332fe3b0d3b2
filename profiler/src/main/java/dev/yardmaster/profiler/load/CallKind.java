package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.MethodDescriptor;

/** Which unary RPC the driver calls; both take a {@link ModelInferRequest}. */
public enum CallKind {
  /** {@code inference.GRPCInferenceService/ModelInfer}: real inference. */
  MODEL_INFER(GRPCInferenceServiceGrpc.getModelInferMethod()),
  /** {@code yardmaster.bench.BenchEcho/Echo}: the transport's own ceiling, same messages. */
  ECHO(BenchEchoGrpc.getEchoMethod());

  private final MethodDescriptor<ModelInferRequest, ModelInferResponse> method;

  CallKind(MethodDescriptor<ModelInferRequest, ModelInferResponse> method) {
    this.method = method;
  }

  /** The gRPC method this kind calls. */
  public MethodDescriptor<ModelInferRequest, ModelInferResponse> method() {
    return method;
  }
}
