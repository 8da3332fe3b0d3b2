package dev.yardmaster.router.routing;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelReadyResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.protocol.v2.ServerReadyResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A KServe v2 server on loopback that answers at a fixed pace: one replica that serves requests one
 * after another ({@link #serial}: a queue builds under concurrent load), or one that serves any
 * number at once ({@link #parallel}). Answers with model version "1" and remembers the Triton
 * priority each request carried.
 */
final class PacedBackend implements AutoCloseable {

  final ConcurrentLinkedQueue<Long> priorities = new ConcurrentLinkedQueue<>();
  private final long serviceMillis;
  private final boolean serial;
  private long freeAtNanos = System.nanoTime();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("paced-timer"));
  private final Server server;

  private PacedBackend(long serviceMillis, boolean serial) throws IOException {
    this.serviceMillis = serviceMillis;
    this.serial = serial;
    this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new Service()).build().start();
  }

  /** One request at a time, {@code serviceMillis} each. */
  static PacedBackend serial(long serviceMillis) throws IOException {
    return new PacedBackend(serviceMillis, true);
  }

  /** Every request {@code serviceMillis}, however many at once. */
  static PacedBackend parallel(long serviceMillis) throws IOException {
    return new PacedBackend(serviceMillis, false);
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
      if (request.containsParameters("priority")) {
        priorities.add(request.getParametersOrThrow("priority").getInt64Param());
      }
      Runnable reply = () -> {
        out.onNext(ModelInferResponse.newBuilder().setModelName(request.getModelName()).setModelVersion("1")
            .setId(request.getId())
            .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("y").setDatatype("FP32")
                .addShape(1).addShape(1))
            .addRawOutputContents(ByteString.copyFrom(new byte[4]))
            .build());
        out.onCompleted();
      };
      if (serial) {
        // the replica's schedule is kept on the clock, so a late wake-up of this (shared, busy) test
        // machine delays one answer, not every answer queued behind it
        long now = System.nanoTime();
        long done;
        synchronized (PacedBackend.this) {
          freeAtNanos = Math.max(now, freeAtNanos) + TimeUnit.MILLISECONDS.toNanos(serviceMillis);
          done = freeAtNanos;
        }
        timer.schedule(reply, done - now, TimeUnit.NANOSECONDS);
      } else {
        timer.schedule(reply, serviceMillis, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
      out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
      out.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }
  }
}
