package dev.yardmaster.router.front;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelReadyResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerLiveResponse;
import dev.yardmaster.protocol.v2.ServerMetadataRequest;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import dev.yardmaster.router.pool.Endpoint;
import dev.yardmaster.router.pool.Forwarder;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The router's GRPCInferenceService: ModelInfer and ModelStreamInfer are forwarded to the call's
 * pool (see {@link PoolSelectionInterceptor}) through {@link Forwarder}; ModelReady and
 * ModelMetadata ask one of the pool's endpoints; ServerReady is true when every pool has a healthy
 * endpoint. Callers without a deadline get the configured default, so nothing waits forever.
 */
public final class RouterGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private final Pools pools;
  private final long defaultTimeoutMillis;

  public RouterGrpcService(Pools pools, long defaultTimeoutMillis) {
    this.pools = pools;
    this.defaultTimeoutMillis = defaultTimeoutMillis;
  }

  private Deadline callerDeadline() {
    Deadline deadline = Context.current().getDeadline();
    return deadline != null ? deadline : Deadline.after(defaultTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  private static Metadata propagated() {
    Metadata headers = PoolSelectionInterceptor.PROPAGATED.get();
    return headers != null ? headers : new Metadata();
  }

  /** The call's pool, or null after answering INVALID_ARGUMENT (several pools, no header). */
  private @Nullable Pool pool(StreamObserver<?> out) {
    Pool pool = PoolSelectionInterceptor.POOL.get();
    if (pool == null) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("x-yardmaster-pool: missing (expected: one of "
          + pools.names() + " when several pools are configured)").asRuntimeException());
    }
    return pool;
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    Pool pool = pool(out);
    if (pool != null) {
      Forwarder.infer(pool, request, callerDeadline(), propagated(), out);
    }
  }

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
    return new StreamForwarder(PoolSelectionInterceptor.POOL.get(), pools.names(), callerDeadline(), propagated(), out);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    out.onCompleted();
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    List<Pool> all = pools.all();
    boolean ready = !all.isEmpty() && all.stream().allMatch(p -> p.healthyEndpoints() > 0);
    out.onNext(ServerReadyResponse.newBuilder().setReady(ready).build());
    out.onCompleted();
  }

  @Override
  public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
    out.onNext(ServerMetadataResponse.newBuilder().setName("yardmaster-router").setVersion("0.1.0").build());
    out.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    Pool pool = pool(out);
    if (pool == null) {
      return;
    }
    Endpoint endpoint = pool.pick(List.of());
    if (endpoint == null) {
      out.onNext(ModelReadyResponse.newBuilder().setReady(false).build());
      out.onCompleted();
      return;
    }
    ListenableFuture<ModelReadyResponse> answer = endpoint.client().modelReady(request, callerDeadline(), propagated());
    Futures.addCallback(answer, new FutureCallback<>() {
      @Override
      public void onSuccess(ModelReadyResponse result) {
        out.onNext(result);
        out.onCompleted();
      }

      @Override
      public void onFailure(Throwable error) {
        Status status = Status.fromThrowable(error);
        if (status.getCode() == Status.Code.UNAVAILABLE) {
          out.onNext(ModelReadyResponse.newBuilder().setReady(false).build());
          out.onCompleted();
        } else {
          out.onError(status.asRuntimeException());
        }
      }
    }, MoreExecutors.directExecutor());
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    Pool pool = pool(out);
    if (pool == null) {
      return;
    }
    Endpoint endpoint = pool.pick(List.of());
    if (endpoint == null) {
      out.onError(Status.UNAVAILABLE.withDescription("pool '" + pool.name() + "': no healthy endpoint ("
          + pool.describeEndpoints() + ")").asRuntimeException());
      return;
    }
    Futures.addCallback(endpoint.client().modelMetadata(request, callerDeadline(), propagated()),
        new FutureCallback<>() {
          @Override
          public void onSuccess(ModelMetadataResponse result) {
            out.onNext(result);
            out.onCompleted();
          }

          @Override
          public void onFailure(Throwable error) {
            out.onError(Status.fromThrowable(error).asRuntimeException());
          }
        }, MoreExecutors.directExecutor());
  }
}
