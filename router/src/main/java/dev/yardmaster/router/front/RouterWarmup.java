package dev.yardmaster.router.front;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.router.pool.Endpoint;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.routing.LiveRouter;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the router's JIT before it reports ready: a fresh JVM runs the forward path interpreted
 * and compiles it while serving, so its first seconds of answers took milliseconds instead of
 * microseconds. The warm-up learns the ready models of the pools' endpoints (RepositoryIndex, then
 * ModelMetadata), and sends batch-1 zero-filled ModelInfer requests of the one with the smallest
 * inputs (the forward path does not depend on the model; the cheapest keeps the endpoints' share of
 * the warm-up small) from a grpc-java client through the router's own gRPC port (the whole path: front, routing, pool,
 * endpoint client) in closed-loop windows of {@link #WINDOW}, until {@code maxRequests} answers or
 * {@code maxDuration}. With {@code untilCompiled}, the windows alternate between one stream and
 * {@code concurrency} streams (one request per event-loop wake-up, and several: different paths
 * through Netty and Armeria), and the warm-up goes on past {@code maxRequests} until the JIT
 * compiler has settled ({@link JitSettling}): a count alone stopped while C2 was still compiling
 * the forward path, which it then did for tens of seconds of served traffic, at up to half of
 * the router's CPU per request at c=1. Bounded in count and time; failures are only counted.
 * Warm-up requests count in the router's request metrics like any other call. Skipped with auth
 * on (the router holds no token) or when no model can be built (inputs of variable-size datatypes).
 *
 * @param maxDuration the most the warm-up takes, waiting for a healthy endpoint included
 * @param maxRequests answers after which it stops (with {@code untilCompiled}: once the JIT has
 *     settled too)
 * @param concurrency closed-loop streams
 * @param untilCompiled whether to go on until the JIT compiler has settled, alternating one stream
 *     and {@code concurrency} streams
 */
public record RouterWarmup(Duration maxDuration, int maxRequests, int concurrency, boolean untilCompiled) {

  /** Load windows: the JIT's progress is read after each. */
  static final Duration WINDOW = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(RouterWarmup.class);
  private static final int MAX_MODELS = 4;
  private static final int MAX_INPUT_BYTES = 1 << 20;
  private static final long CALL_TIMEOUT_SECONDS = 5;

  public RouterWarmup {
    if (maxRequests < 0) {
      throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 0)");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
  }

  /** A warm-up of {@code maxRequests} answers from {@code concurrency} streams, not waiting for the JIT. */
  public RouterWarmup(Duration maxDuration, int maxRequests, int concurrency) {
    this(maxDuration, maxRequests, concurrency, false);
  }

  /**
   * What {@code yardmaster serve --warmup-requests N} runs: at least {@code requests} answers, then
   * on until the JIT has settled, 30 s at most; windows of 1 and 4 streams.
   */
  public static RouterWarmup upTo(int requests) {
    return new RouterWarmup(Duration.ofSeconds(30), requests, 4, true);
  }

  /** No warm-up: ready as soon as every pool has a healthy endpoint. */
  public static RouterWarmup none() {
    return new RouterWarmup(Duration.ZERO, 0, 1, false);
  }

  boolean enabled() {
    return maxRequests > 0 && !maxDuration.isZero();
  }

  /** Runs the warm-up against the router on {@code grpcPort}; returns when it is over. */
  void run(int grpcPort, Pools pools, LiveRouter router) throws InterruptedException {
    if (!enabled()) {
      return;
    }
    if (router.auth().enabled()) {
      log.info("router warm-up skipped: auth is on and the router holds no token");
      return;
    }
    long startNanos = System.nanoTime();
    long endNanos = startNanos + maxDuration.toNanos();
    List<ModelInferRequest> requests = requests(pools, router, endNanos).stream()
        .min(java.util.Comparator.comparingLong(RouterWarmup::inputBytes)).stream().toList();
    if (requests.isEmpty()) {
      log.info("router warm-up skipped: no ready model with fixed-size inputs found on the pools' endpoints");
      return;
    }
    Result result = load(grpcPort, requests, endNanos);
    log.info("router warm-up: {} answers, {} failures, models {}, in {} ms{}", result.answered, result.failed,
        requests.stream().map(ModelInferRequest::getModelName).toList(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        !untilCompiled ? "" : result.settled ? "; JIT settled" : "; JIT still compiling at the time limit");
  }

  /** One batch-1 request per ready model (at most {@link #MAX_MODELS}), waiting for healthy endpoints. */
  private static List<ModelInferRequest> requests(Pools pools, LiveRouter router, long endNanos)
      throws InterruptedException {
    Map<String, ModelInferRequest> byModel = new LinkedHashMap<>();
    while (byModel.isEmpty() && System.nanoTime() < endNanos) {
      for (Pool pool : pools.all()) {
        Endpoint endpoint = pool.pick(List.of());
        if (endpoint == null || byModel.size() >= MAX_MODELS) {
          continue;
        }
        try {
          Deadline deadline = Deadline.after(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          RepositoryIndexResponse index = endpoint.client().unary(GRPCInferenceServiceGrpc.getRepositoryIndexMethod(),
              RepositoryIndexRequest.newBuilder().setReady(true).build(), deadline, new Metadata())
              .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          for (RepositoryIndexResponse.ModelIndex model : index.getModelsList()) {
            if (byModel.size() >= MAX_MODELS || byModel.containsKey(model.getName())
                || router.unknownModel(model.getName()) != null) {
              continue;
            }
            ModelMetadataResponse metadata = endpoint.client().modelMetadata(ModelMetadataRequest.newBuilder()
                .setName(model.getName()).build(), deadline, new Metadata())
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ModelInferRequest request = request(metadata);
            if (request != null) {
              byModel.put(model.getName(), request);
            }
          }
        } catch (ExecutionException | TimeoutException | RuntimeException failed) {
          log.debug("router warm-up: pool '{}' endpoint {}: {}", pool.name(), endpoint.id(), failed.toString());
        }
      }
      if (byModel.isEmpty()) {
        Thread.sleep(50); // health checks have not passed yet
      }
    }
    return new ArrayList<>(byModel.values());
  }

  /**
   * A batch-1 request of zeros for {@code metadata}'s inputs (variable dimensions as 1); null when
   * an input's datatype is not fixed-size or the inputs are larger than {@link #MAX_INPUT_BYTES}.
   */
  static @Nullable ModelInferRequest request(ModelMetadataResponse metadata) {
    if (metadata.getInputsCount() == 0) {
      return null;
    }
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(metadata.getName());
    long bytes = 0;
    for (ModelMetadataResponse.TensorMetadata input : metadata.getInputsList()) {
      DataType type = DataType.fromWireName(input.getDatatype());
      if (type == null || !type.isFixedSize()) {
        return null;
      }
      ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
          .setName(input.getName()).setDatatype(input.getDatatype());
      long elements = 1;
      for (long dim : input.getShapeList()) {
        long size = dim < 0 ? 1 : dim;
        tensor.addShape(size);
        elements *= size;
      }
      long inputBytes = elements * type.elementSize();
      bytes += inputBytes;
      if (bytes > MAX_INPUT_BYTES) {
        return null;
      }
      request.addInputs(tensor).addRawInputContents(ByteString.copyFrom(new byte[(int) inputBytes]));
    }
    return request.build();
  }

  private static long inputBytes(ModelInferRequest request) {
    long bytes = 0;
    for (ByteString raw : request.getRawInputContentsList()) {
      bytes += raw.size();
    }
    return bytes;
  }

  private record Result(long answered, long failed, boolean settled) {}

  /**
   * Closed-loop load on the router's own port in windows of {@link #WINDOW}, until {@code
   * maxRequests} answers (and, with {@link #untilCompiled}, a settled JIT) or {@code endNanos}.
   */
  private Result load(int grpcPort, List<ModelInferRequest> requests, long endNanos) throws InterruptedException {
    // a grpc-java client, as the router's callers are gRPC clients: warmed by Armeria's own client,
    // the router's C2 still compiled for ~10 s of the first grpc-java traffic (its headers, window
    // updates and pings take other paths through the server)
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcPort,
        InsecureChannelCredentials.create()).directExecutor().build();
    try {
      GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
      JitSettling settling = new JitSettling();
      Counts counts = new Counts();
      for (int window = 0; System.nanoTime() - endNanos < 0; window++) {
        long startNanos = System.nanoTime();
        long windowEnd = Math.min(startNanos + WINDOW.toNanos(), endNanos);
        long compiledBefore = jitTimed ? jit.getTotalCompilationTime() : -1;
        int streams = untilCompiled && window % 2 == 1 ? 1 : concurrency;
        window(stub, requests, streams, windowEnd, counts);
        boolean settled = settling.offer(jitTimed ? jit.getTotalCompilationTime() - compiledBefore : -1,
            System.nanoTime() - startNanos);
        if (counts.answered.get() + counts.failed.get() >= maxRequests && (!untilCompiled || settled)) {
          break;
        }
      }
      return new Result(counts.answered.get(), counts.failed.get(), settling.settled());
    } finally {
      channel.shutdownNow();
    }
  }

  private static final class Counts {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
  }

  /**
   * {@code streams} closed-loop streams until {@code windowEnd}; without {@link #untilCompiled}
   * no more than {@code maxRequests} requests in all. Returns when every stream's last call ended.
   */
  private void window(GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub, List<ModelInferRequest> requests,
      int streams, long windowEnd, Counts counts) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(streams);
    for (int i = 0; i < streams; i++) {
      new Runnable() {
        @Override
        public void run() {
          long n = counts.sent.getAndIncrement();
          if ((!untilCompiled && n >= maxRequests) || System.nanoTime() - windowEnd > 0) {
            counts.sent.decrementAndGet();
            done.countDown();
            return;
          }
          Futures.addCallback(stub.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .modelInfer(requests.get((int) (n % requests.size()))), new FutureCallback<ModelInferResponse>() {
                @Override
                public void onSuccess(ModelInferResponse response) {
                  counts.answered.incrementAndGet();
                  run();
                }

                @Override
                public void onFailure(Throwable error) {
                  counts.failed.incrementAndGet();
                  run();
                }
              }, MoreExecutors.directExecutor());
        }
      }.run();
    }
    done.await(Math.max(0, windowEnd - System.nanoTime()) + TimeUnit.SECONDS.toNanos(CALL_TIMEOUT_SECONDS + 1),
        TimeUnit.NANOSECONDS);
  }
}
