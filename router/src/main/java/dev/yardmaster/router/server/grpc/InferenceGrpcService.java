package dev.yardmaster.router.server.grpc;

import com.linecorp.armeria.common.ContextAwareEventLoop;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.protocol.OutputClassification;
import dev.yardmaster.protocol.ProtoTensorCodec;
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
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.server.AdmittedInference;
import dev.yardmaster.router.server.LoadParameterReader;
import dev.yardmaster.router.server.ModelProtos;
import dev.yardmaster.router.server.ServingCore;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Triton's {@code inference.GRPCInferenceService}. Inference completes from the model's future and
 * never blocks the event loop; repository loads and unloads run on the blocking task executor.
 */
public final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  /**
   * Outputs always go to {@code raw_output_contents}, whatever form the inputs came in, as Triton's
   * gRPC front end writes them ({@code ResponseAllocatorHelper}): every Triton client reads them there.
   */
  private static final boolean RAW_OUTPUTS = true;

  private final ServingCore core;
  private final ModelManager manager;
  private final AdmittedInference inference;

  public InferenceGrpcService(ServingCore core, AdmittedInference inference) {
    this.core = core;
    this.manager = core.manager();
    this.inference = inference;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    answer(observer, () -> ServerLiveResponse.newBuilder().setLive(core.live()).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    answer(observer, () -> ServerReadyResponse.newBuilder().setReady(core.ready()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    answer(observer, () -> ModelReadyResponse.newBuilder()
        .setReady(manager.isReady(request.getName(), request.getVersion())).build());
  }

  @Override
  public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    answer(observer, ModelProtos::serverMetadata);
  }

  @Override
  public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    answer(observer, () -> ModelProtos.modelMetadata(manager, request.getName(), request.getVersion()));
  }

  @Override
  public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
    answer(observer, () -> ModelConfigResponse.newBuilder()
        .setConfig(manager.resolve(request.getName(), request.getVersion()).spec().config()).build());
  }

  @Override
  public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
    answer(observer, () -> ModelProtos.statistics(manager, request.getName(), request.getVersion()));
  }

  @Override
  public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
    answer(observer, () -> ModelProtos.index(manager, request.getReady()));
  }

  @Override
  public void repositoryModelLoad(RepositoryModelLoadRequest request,
      StreamObserver<RepositoryModelLoadResponse> observer) {
    answerBlocking(observer, () -> {
      manager.load(request.getModelName(), LoadParameterReader.fromGrpc(request));
      return RepositoryModelLoadResponse.getDefaultInstance();
    });
  }

  @Override
  public void repositoryModelUnload(RepositoryModelUnloadRequest request,
      StreamObserver<RepositoryModelUnloadResponse> observer) {
    answerBlocking(observer, () -> {
      LoadParameterReader.requireNoRepositoryName(request.getRepositoryName());
      manager.unload(request.getModelName());
      return RepositoryModelUnloadResponse.getDefaultInstance();
    });
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.current();
    modelInfer(ctx, request, new ObserverAnswer(ctx, observer));
  }

  /**
   * One unary ModelInfer, as grpc-java's call and {@link UnaryPassThrough} both run it: admission of
   * the call, decoding, the in-process models and encoding, every failure as its gRPC status.
   * {@code answer} is called exactly once, where the answer arrives: small answers on the call's
   * event loop, large ones on the model's thread (so that encoding them does not stall the loop).
   */
  void modelInfer(ServiceRequestContext ctx, ModelInferRequest request, UnaryAnswer answer) {
    long arrivalNanos = System.nanoTime();
    AdmittedRequest admitted;
    try {
      admitted = inference.admit(ctx, request.getModelName(), arrivalNanos);
    } catch (InferenceException refused) {
      answer.fail(GrpcStatuses.toException(refused));
      return;
    }
    InferRequest decoded;
    OutputClassification classification;
    try {
      decoded = ProtoTensorCodec.toInferRequest(request, arrivalNanos);
      classification = ProtoTensorCodec.classification(request);
    } catch (RuntimeException invalid) {
      RuntimeException error = modelFirst(request, invalid);
      inference.refuse(admitted, request.getModelName(), error);
      answer.fail(GrpcStatuses.toException(error));
      return;
    }
    inference.infer(ctx, admitted, decoded, (response, error) -> {
      if (error != null) {
        answer.fail(GrpcStatuses.toException(error));
        return;
      }
      ModelInferResponse encoded;
      try {
        encoded = ProtoTensorCodec.toModelInferResponse(core.classify(response, classification), RAW_OUTPUTS);
      } catch (RuntimeException unencodable) {
        answer.fail(GrpcStatuses.toException(unencodable));
        return;
      }
      answer.succeed(encoded);
    });
  }

  /**
   * grpc-java's call answered in one task on the call's event loop (Armeria would otherwise hop
   * there separately for the headers, the message and the close).
   */
  private record ObserverAnswer(ServiceRequestContext ctx, StreamObserver<ModelInferResponse> observer)
      implements UnaryAnswer {

    @Override
    public void succeed(ModelInferResponse response) {
      onEventLoop(() -> {
        observer.onNext(response);
        observer.onCompleted();
      });
    }

    @Override
    public void fail(StatusRuntimeException error) {
      onEventLoop(() -> observer.onError(error));
    }

    private void onEventLoop(Runnable write) {
      ContextAwareEventLoop eventLoop = ctx.eventLoop();
      if (eventLoop.inEventLoop()) {
        write.run();
      } else {
        eventLoop.execute(write);
      }
    }
  }

  /**
   * The stream's metadata is admitted once, at open: a bad tier or deadline header fails the
   * stream with INVALID_ARGUMENT. Each message then gets the tier's priority and its deadline
   * ({@code x-deadline-ms} from its own arrival, the gRPC deadline for the whole stream).
   */
  @Override
  public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.current();
    AdmittedRequest admitted;
    try {
      admitted = inference.admit(ctx, "", System.nanoTime());
    } catch (InferenceException refused) {
      observer.onError(GrpcStatuses.toException(refused));
      return new StreamObserver<>() { // drains what the client still sends
        @Override public void onNext(ModelInferRequest ignored) {}
        @Override public void onError(Throwable ignored) {}
        @Override public void onCompleted() {}
      };
    }
    return StreamInferObserver.open(core, request -> infer(ctx, admitted, request), observer, ctx.eventLoop());
  }

  /** Decodes, schedules and encodes one request of an admitted call; never throws. */
  CompletableFuture<ModelInferResponse> infer(ServiceRequestContext ctx, AdmittedRequest admitted,
      ModelInferRequest request) {
    long arrivalNanos = System.nanoTime();
    InferRequest decoded;
    OutputClassification classification;
    try {
      decoded = ProtoTensorCodec.toInferRequest(request, arrivalNanos);
      classification = ProtoTensorCodec.classification(request);
    } catch (RuntimeException invalid) {
      return inference.refuse(admitted, request.getModelName(), modelFirst(request, invalid));
    }
    return inference.infer(ctx, admitted, decoded)
        .thenApply(response -> ProtoTensorCodec.toModelInferResponse(core.classify(response, classification),
            RAW_OUTPUTS));
  }

  /**
   * The answer to a request that did not decode: as Triton's TRITONSERVER_InferenceRequestNew looks
   * the model up first, an unknown or unready model or version is the answer whatever the request's
   * tensors hold, else {@code invalid}. A request that decodes is resolved once, when it is scheduled.
   */
  private RuntimeException modelFirst(ModelInferRequest request, RuntimeException invalid) {
    try {
      manager.resolve(request.getModelName(), request.getModelVersion());
      return invalid;
    } catch (RuntimeException unserved) {
      return unserved;
    }
  }

  private static <T> void answer(StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException error) {
      observer.onError(GrpcStatuses.toException(error));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static <T> void answerBlocking(StreamObserver<T> observer, Supplier<T> body) {
    ServiceRequestContext.current().blockingTaskExecutor().execute(() -> answer(observer, body));
  }
}
