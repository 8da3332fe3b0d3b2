package dev.yardmaster.router.testsupport;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelReadyResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import io.grpc.stub.StreamObserver;

/**
 * A test backend's KServe v2 service that answers the router's health checks (ServerReady and
 * ModelReady for any model) with {@link #ready()}; subclasses implement the inference calls.
 */
public abstract class ReadyInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  /** What both health checks answer; true unless a subclass says otherwise. */
  protected boolean ready() {
    return true;
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    out.onNext(ServerReadyResponse.newBuilder().setReady(ready()).build());
    out.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    out.onNext(ModelReadyResponse.newBuilder().setReady(ready()).build());
    out.onCompleted();
  }
}
