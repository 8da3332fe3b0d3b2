package dev.yardmaster.router.front;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelConfigResponse;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelReadyResponse;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelStatisticsResponse;
import dev.yardmaster.protocol.v2.ModelStreamInferResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadResponse;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadResponse;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerLiveResponse;
import dev.yardmaster.protocol.v2.ServerMetadataRequest;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import dev.yardmaster.router.pool.Endpoint;
import dev.yardmaster.router.pool.ForwardedInfer;
import dev.yardmaster.router.pool.Forwarder;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.pool.ProtoInfer;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.policy.RouteRequest;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.routing.CallFacts;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The router's GRPCInferenceService: each ModelInfer (and each request of a ModelStreamInfer) is
 * routed by {@link LiveRouter} (the cheapest pool meeting its tier, or the pool pinned by
 * {@code x-yardmaster-pool}) and forwarded through {@link Forwarder}; ModelReady, ModelMetadata,
 * ModelConfig, ModelStatistics and RepositoryIndex ask one endpoint of the call's pool (pinned, the only one, else the first configured); a model
 * the config does not name is NOT_FOUND (ModelReady: not ready, as Triton answers);
 * RepositoryModelLoad/Unload go to every endpoint of every pool ({@link RepositoryControlFanOut});
 * ServerReady is true when every pool has a healthy endpoint (and the router's warm-up is over).
 * Callers without a deadline get the configured default, so nothing waits forever. Unary ModelInfer
 * usually reaches it only when {@link ModelInferPassThrough} does not take it (compressed, malformed).
 */
public final class RouterGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private final Pools pools;
  private final LiveRouter router;
  private final long defaultTimeoutMillis;
  private final BooleanSupplier warm;

  public RouterGrpcService(Pools pools, LiveRouter router, long defaultTimeoutMillis) {
    this(pools, router, defaultTimeoutMillis, () -> true);
  }

  /** {@code warm}: false while the router warms up ({@link RouterWarmup}), when ServerReady says false. */
  public RouterGrpcService(Pools pools, LiveRouter router, long defaultTimeoutMillis, BooleanSupplier warm) {
    this.pools = pools;
    this.router = router;
    this.defaultTimeoutMillis = defaultTimeoutMillis;
    this.warm = warm;
  }

  private Deadline callerDeadline() {
    Deadline deadline = Context.current().getDeadline();
    return deadline != null ? deadline : Deadline.after(defaultTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  private static Metadata propagated() {
    Metadata headers = PoolSelectionInterceptor.PROPAGATED.get();
    return headers != null ? headers : new Metadata();
  }

  /**
   * The pool for ready and metadata calls: pinned, the only one, else the first configured; null
   * after answering UNAVAILABLE when there is none.
   */
  private @Nullable Pool pool(StreamObserver<?> out) {
    Pool pool = PoolSelectionInterceptor.POOL.get();
    if (pool == null) {
      List<Pool> all = pools.all();
      pool = all.isEmpty() ? null : all.get(0);
    }
    if (pool == null) {
      out.onError(Status.UNAVAILABLE.withDescription("pools: none configured (expected: at least one pool)")
          .asRuntimeException());
    }
    return pool;
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    routed(callerDeadline(), propagated(), System.nanoTime()).dispatch(request, out);
  }

  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
    Deadline deadline = callerDeadline();
    Metadata headers = propagated();
    return new StreamForwarder((request, answer) -> routed(deadline, headers, System.nanoTime())
        .dispatch(request, answer), out);
  }

  /** Routes one request of the current call, which the interceptor admitted. */
  private StreamForwarder.Dispatch routed(Deadline deadline, Metadata headers, long arrivalNanos) {
    AdmittedRequest admitted = PoolSelectionInterceptor.ADMITTED.get();
    CallFacts facts = PoolSelectionInterceptor.FACTS.get();
    String pinned = PoolSelectionInterceptor.PINNED.get();
    CallFacts callFacts = facts != null ? facts : new CallFacts();
    return (request, out) -> route(router, admitted, callFacts, pinned, deadline, arrivalNanos,
        ProtoInfer.of(request, headers), out);
  }

  /**
   * Routes one admitted request, on either path: its tier (the default one when not admitted), and
   * the earlier of its own deadline ({@code x-deadline-ms}) and the call's.
   */
  static <R> void route(LiveRouter router, @Nullable AdmittedRequest admitted, CallFacts facts,
      @Nullable String pinned, Deadline deadline, long arrivalNanos, ForwardedInfer<R> request,
      StreamObserver<R> out) {
    Tier tier = admitted != null ? admitted.tier() : router.admission().config().defaultTier();
    long own = admitted != null ? admitted.deadlineNanos(arrivalNanos) : RouteRequest.NO_DEADLINE;
    long call = arrivalNanos + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    long routeDeadline = own == RouteRequest.NO_DEADLINE || call - own < 0 ? call : own;
    router.infer(tier, facts, pinned, request, arrivalNanos, routeDeadline, deadline, out);
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    out.onCompleted();
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    List<Pool> all = pools.all();
    boolean ready = warm.getAsBoolean() && !all.isEmpty() && all.stream().allMatch(p -> p.healthyEndpoints() > 0);
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
    if (router.unknownModel(request.getName()) != null) { // not ready, no error: as Triton answers
      out.onNext(ModelReadyResponse.newBuilder().setReady(false).build());
      out.onCompleted();
      return;
    }
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
    forward(request.getName(), GRPCInferenceServiceGrpc.getModelMetadataMethod(), request, out);
  }

  @Override
  public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
    forward(request.getName(), GRPCInferenceServiceGrpc.getModelConfigMethod(), request, out);
  }

  /** The statistics of one endpoint of the call's pool (pin a pool to choose it); all models when none is named. */
  @Override
  public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> out) {
    forward(request.getName(), GRPCInferenceServiceGrpc.getModelStatisticsMethod(), request, out);
  }

  /** The repository index of one endpoint of the call's pool (pin a pool to choose it). */
  @Override
  public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> out) {
    forward("", GRPCInferenceServiceGrpc.getRepositoryIndexMethod(), request, out);
  }

  /** Loads the model on every endpoint of every pool (the pinned one only, when pinned); admins only. */
  @Override
  public void repositoryModelLoad(RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> out) {
    fanOut("RepositoryModelLoad", request.getModelName(), GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod(),
        request, RepositoryModelLoadResponse.getDefaultInstance(), out);
  }

  /** Unloads the model from every endpoint of every pool (the pinned one only, when pinned); admins only. */
  @Override
  public void repositoryModelUnload(RepositoryModelUnloadRequest request,
      StreamObserver<RepositoryModelUnloadResponse> out) {
    fanOut("RepositoryModelUnload", request.getModelName(), GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod(),
        request, RepositoryModelUnloadResponse.getDefaultInstance(), out);
  }

  /** A model the config does not know is NOT_FOUND; else {@link RepositoryControlFanOut#send}. */
  private <Q, R> void fanOut(String call, String model, MethodDescriptor<Q, R> method, Q request, R ok,
      StreamObserver<R> out) {
    Status unknown = router.unknownModel(model);
    if (unknown != null) {
      out.onError(unknown.asRuntimeException());
      return;
    }
    Pool pinned = PoolSelectionInterceptor.PINNED.get() != null ? PoolSelectionInterceptor.POOL.get() : null;
    RepositoryControlFanOut.send(call + " '" + model + "'", pinned != null ? List.of(pinned) : pools.all(), method,
        request, ok, callerDeadline(), propagated(), out);
  }

  /**
   * Asks one endpoint of the call's pool and relays its answer or status; a named model the config
   * does not know is NOT_FOUND first, a pool without a healthy endpoint UNAVAILABLE naming it.
   */
  private <Q, R> void forward(String model, MethodDescriptor<Q, R> method, Q request, StreamObserver<R> out) {
    Status unknown = model.isEmpty() ? null : router.unknownModel(model);
    if (unknown != null) {
      out.onError(unknown.asRuntimeException());
      return;
    }
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
    Futures.addCallback(endpoint.client().unary(method, request, callerDeadline(), propagated()),
        new FutureCallback<>() {
          @Override
          public void onSuccess(R result) {
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
