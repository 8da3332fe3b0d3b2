package dev.yardmaster.router.pool;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import dev.yardmaster.router.testsupport.ReadyInferenceService;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny KServe v2 server on loopback whose behaviour tests switch: delay, errors, hangs, garbage, readiness. */
final class FakeBackend implements AutoCloseable {

  enum Mode { OK, UNAVAILABLE, HANG, GARBAGE, REFUSE }

  volatile Mode mode = Mode.OK;
  /** What REFUSE answers every request with. */
  volatile Status refusal = Status.UNAVAILABLE.withDescription("Exceeds maximum queue size");
  /** In OK mode, this many of every ten requests fail with UNAVAILABLE (3: a steady 30%). */
  volatile int failuresPerTen;
  volatile long delayMillis;
  volatile boolean ready = true;
  final AtomicInteger infers = new AtomicInteger();
  final ConcurrentLinkedQueue<String> seenTiers = new ConcurrentLinkedQueue<>();
  private final Server server;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "fake-backend-timer");
    thread.setDaemon(true);
    return thread;
  });

  private static final Metadata.Key<String> TIER = Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);

  FakeBackend() throws IOException {
    ServerInterceptor tiers = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String tier = headers.get(TIER);
        if (tier != null) {
          seenTiers.add(tier);
        }
        return next.startCall(call, headers);
      }
    };
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(ServerInterceptors.intercept(new Service(), tiers))
        .build()
        .start();
  }

  int port() {
    return server.getPort();
  }

  String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** Stops abruptly: calls in flight are cancelled. */
  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
  }

  static ModelInferResponse answer(ModelInferRequest request) {
    return ModelInferResponse.newBuilder()
        .setModelName(request.getModelName())
        .setId(request.getId())
        .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("y").setDatatype("FP32")
            .addShape(1).addShape(1))
        .addRawOutputContents(ByteString.copyFrom(new byte[4]))
        .build();
  }

  private final class Service extends ReadyInferenceService {

    @Override
    protected boolean ready() {
      return ready;
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
      int sequence = infers.incrementAndGet();
      Mode now = mode == Mode.OK && sequence % 10 < failuresPerTen ? Mode.UNAVAILABLE : mode;
      Runnable reply = () -> {
        switch (now) {
          case OK -> {
            out.onNext(answer(request));
            out.onCompleted();
          }
          case UNAVAILABLE -> out.onError(Status.UNAVAILABLE.withDescription("fake: down").asRuntimeException());
          case REFUSE -> out.onError(refusal.asRuntimeException());
          case GARBAGE -> {
            out.onNext(answer(request).toBuilder().setRawOutputContents(0, ByteString.copyFrom(new byte[3])).build());
            out.onCompleted();
          }
          case HANG -> { }
        }
      };
      long delay = delayMillis;
      if (delay > 0) {
        timer.schedule(reply, delay, TimeUnit.MILLISECONDS);
      } else {
        reply.run();
      }
    }


  }
}
