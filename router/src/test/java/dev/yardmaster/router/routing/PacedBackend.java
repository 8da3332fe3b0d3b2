package dev.yardmaster.router.routing;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import dev.yardmaster.router.testsupport.ReadyInferenceService;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A KServe v2 server on loopback that answers at a fixed pace: one replica that serves requests one
 * after another ({@link #serial}: a queue builds under concurrent load; {@link #prioritized}: the
 * same, taking waiting requests by Triton priority, FIFO within one, as a Triton replica with
 * priority levels does), or one that serves any number at once ({@link #parallel}). Answers with
 * model version "1" and remembers the Triton priority each request carried.
 */
final class PacedBackend implements AutoCloseable {

  final ConcurrentLinkedQueue<Long> priorities = new ConcurrentLinkedQueue<>();
  private volatile long serviceMillis;
  private final boolean serial;
  private final boolean prioritized;
  private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
      Comparator.comparingLong(Waiting::priority).thenComparingLong(Waiting::sequence));
  private long sequence;
  private boolean busy;
  private long freeAtNanos = System.nanoTime();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("paced-timer"));
  private final Server server;

  private PacedBackend(long serviceMillis, boolean serial, boolean prioritized) throws IOException {
    this.serviceMillis = serviceMillis;
    this.serial = serial;
    this.prioritized = prioritized;
    this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new Service()).build().start();
  }

  /** One request at a time, {@code serviceMillis} each. */
  static PacedBackend serial(long serviceMillis) throws IOException {
    return new PacedBackend(serviceMillis, true, false);
  }

  /** One request at a time, {@code serviceMillis} each, the waiting ones by priority (lowest value first). */
  static PacedBackend prioritized(long serviceMillis) throws IOException {
    return new PacedBackend(serviceMillis, true, true);
  }

  /** Every request {@code serviceMillis}, however many at once. */
  static PacedBackend parallel(long serviceMillis) throws IOException {
    return new PacedBackend(serviceMillis, false, false);
  }

  /** From now on, every request starts taking {@code millis}: a pool slowing down (or recovering). */
  void pace(long millis) {
    serviceMillis = millis;
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** A one-row request for {@code model} with the FP32 [1,1] input {@code x} these backends answer. */
  static ModelInferRequest request(String model) {
    return ModelInferRequest.newBuilder().setModelName(model)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
            .addShape(1).addShape(1))
        .addRawInputContents(ByteString.copyFrom(new byte[4]))
        .build();
  }

  @Override
  public void close() {
    server.shutdownNow();
    timer.shutdownNow();
  }

  /** A request waiting for the replica: its priority, arrival order and answer. */
  private record Waiting(long priority, long sequence, Runnable reply) {}

  /**
   * Starts the most urgent waiting request at {@code startNanos}. The next one starts when this one
   * was due, not when the (shared, busy) timer thread got to it, so a late wake-up delays one
   * answer, not the replica's whole schedule.
   */
  private void startNext(long startNanos) {
    Waiting next = waiting.poll();
    busy = true;
    long done = startNanos + TimeUnit.MILLISECONDS.toNanos(serviceMillis);
    timer.schedule(() -> {
      next.reply().run();
      synchronized (PacedBackend.this) {
        if (waiting.isEmpty()) {
          busy = false;
        } else {
          startNext(done);
        }
      }
    }, done - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private final class Service extends ReadyInferenceService {
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
      if (prioritized) {
        long priority = request.containsParameters("priority")
            ? request.getParametersOrThrow("priority").getInt64Param() : Long.MAX_VALUE;
        synchronized (PacedBackend.this) {
          waiting.add(new Waiting(priority, sequence++, reply));
          if (!busy) {
            startNext(System.nanoTime());
          }
        }
      } else if (serial) {
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


  }
}
