package dev.yardmaster.router.server.grpc;

import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@code yardmaster.bench.BenchEcho/Echo}: mirrors the inputs as outputs and the raw input bytes
 * as raw output bytes (no copy), so benchmarks can measure the transport's own ceiling.
 */
public final class BenchEchoService extends BenchEchoGrpc.BenchEchoImplBase {

  @Override
  public void echo(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    observer.onNext(echo(request));
    observer.onCompleted();
  }

  /** The echo of {@code request}, as both the service and {@link UnaryPassThrough} answer it. */
  static ModelInferResponse echo(ModelInferRequest request) {
    ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
        .setModelName(request.getModelName())
        .setModelVersion(request.getModelVersion())
        .setId(request.getId())
        .addAllRawOutputContents(request.getRawInputContentsList());
    for (ModelInferRequest.InferInputTensor input : request.getInputsList()) {
      response.addOutputsBuilder()
          .setName(input.getName())
          .setDatatype(input.getDatatype())
          .addAllShape(input.getShapeList());
    }
    return response.build();
  }
}
