package dev.yardmaster.profiler.load;

import dev.yardmaster.protocol.bench.BenchEchoGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelConfigResponse;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real gRPC server on 127.0.0.1 port 0 serving BenchEcho and ModelInfer with knobs: a delay, a
 * failure every n-th call, or never answering. Counts calls in flight (the closed-loop check) and
 * the {@code x-sla-tier} headers it saw.
 */
public final class FakeInferenceServer implements AutoCloseable {
  static final Metadata.Key<String> TIER =
      Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);

  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final AtomicLong calls = new AtomicLong();
  final Map<String, LongAdder> tiers = new ConcurrentHashMap<>();
  volatile Duration delay = Duration.ZERO;
  volatile int failEvery = 0;
  volatile Status failStatus = Status.RESOURCE_EXHAUSTED.withDescription("shed");
  final AtomicBoolean hang = new AtomicBoolean();

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Server server;

  /** Starts the server on a free loopback port. */
  public FakeInferenceServer() {
    ServerInterceptor tierCounter =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String tier = headers.get(TIER);
            if (tier != null) {
              tiers.computeIfAbsent(tier, t -> new LongAdder()).increment();
            }
            return next.startCall(call, headers);
          }
        };
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(new Echo(), tierCounter))
              .addService(ServerInterceptors.intercept(new Inference(), tierCounter))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where it listens. */
  public Target target() {
    return new Target("127.0.0.1", server.getPort());
  }

  void reset() {
    delay = Duration.ZERO;
    failEvery = 0;
    hang.set(false);
    calls.set(0);
    maxInFlight.set(0);
    tiers.clear();
  }

  private void handle(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    long call = calls.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    if (hang.get()) {
      ((ServerCallStreamObserver<ModelInferResponse>) observer)
          .setOnCancelHandler(inFlight::decrementAndGet);
      return;
    }
    int every = failEvery;
    Runnable respond =
        () -> {
          // leave the in-flight count before answering: the client may start its next call at once
          inFlight.decrementAndGet();
          if (every > 0 && call % every == 0) {
            observer.onError(failStatus.asRuntimeException());
            return;
          }
          observer.onNext(
              ModelInferResponse.newBuilder()
                  .setModelName(request.getModelName())
                  .addAllRawOutputContents(request.getRawInputContentsList())
                  .build());
          observer.onCompleted();
        };
    long delayNanos = delay.toNanos();
    if (delayNanos > 0) {
      scheduler.schedule(respond, delayNanos, TimeUnit.NANOSECONDS);
    } else {
      respond.run();
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.shutdownNow();
    scheduler.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Echo extends BenchEchoGrpc.BenchEchoImplBase {
    @Override
    public void echo(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
      handle(request, observer);
    }
  }

  private final class Inference extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
      handle(request, observer);
    }

    /** Any model: one FP32 input {@code x} of 4 values per row. ModelStatistics stays unimplemented. */
    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
      observer.onNext(ModelMetadataResponse.newBuilder().setName(request.getName()).addVersions("1")
          .addInputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("x").setDatatype("FP32")
              .addShape(-1).addShape(4))
          .build());
      observer.onCompleted();
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
      observer.onNext(ModelConfigResponse.newBuilder()
          .setConfig(ModelConfig.newBuilder().setName(request.getName()).setMaxBatchSize(8)).build());
      observer.onCompleted();
    }
  }
}
