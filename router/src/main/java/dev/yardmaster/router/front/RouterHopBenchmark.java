package dev.yardmaster.router.front;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.AcceleratorKind;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The router hop, measured: clients -> router -> backend against clients -> backend directly, same
 * closed-loop load (c = 1, 16, 64 streams of batch-1 higgs_mlp_v1), one JVM on loopback. Prints
 * p50/p99 of each, the added latency and the throughput ratio.
 *
 * <p>Run after {@code mvn -pl router -am package -DskipTests}: {@code java -cp
 * router/target/classes:$(cat router/target/classpath.txt) dev.yardmaster.router.front.RouterHopBenchmark
 * [warmupSeconds] [measureSeconds]}.
 */
public final class RouterHopBenchmark {

  private RouterHopBenchmark() {}

  record Result(long p50Micros, long p99Micros, double perSecond) {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path repository = Files.createTempDirectory("hop-bench");
    DemoModels.writeRepository(repository, true);
    YardmasterServer backend = YardmasterServer.builder(new RepositoryModelManager(repository,
            OrtRunnerFactory.withDefaults(), Schedulers.factory(), RepositoryOptions.loadAllModels()))
        .httpPort(0).grpcPort(0).metricsPort(0).build().start();
    RouterServer router = RouterServer.start(new RouterConfig(0, 0, 30_000, List.of(PoolConfig.of("cpu",
        AcceleratorKind.CPU, 0.17, List.of("127.0.0.1:" + backend.grpcPort())))), null, new SimpleMeterRegistry(), 1000);
    while (router.pools().get("cpu").healthyEndpoints() == 0) {
      Thread.sleep(20);
    }
    ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", backend.grpcPort()).usePlaintext().build();
    ManagedChannel routed = ManagedChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
    System.out.printf("%-4s %10s %10s %10s | %10s %10s %10s | %10s %10s %8s%n", "c", "direct p50", "p99", "req/s",
        "router p50", "p99", "req/s", "added p50", "added p99", "ratio");
    try {
      for (int concurrency : new int[] {1, 16, 64}) {
        Result d = run(direct, concurrency, warmup, measure);
        Result r = run(routed, concurrency, warmup, measure);
        System.out.printf("%-4d %8d µs %7d µs %10.0f | %8d µs %7d µs %10.0f | %7d µs %7d µs %8.2f%n", concurrency,
            d.p50Micros(), d.p99Micros(), d.perSecond(), r.p50Micros(), r.p99Micros(), r.perSecond(),
            r.p50Micros() - d.p50Micros(), r.p99Micros() - d.p99Micros(), r.perSecond() / d.perSecond());
      }
    } finally {
      direct.shutdownNow();
      routed.shutdownNow();
      router.stop();
      backend.stop();
    }
  }

  static ModelInferRequest request() {
    return ModelInferRequest.newBuilder()
        .setModelName(DemoModels.HIGGS_MLP_V1)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
            .setName(DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName())
            .setDatatype("FP32").addShape(1).addShape(DemoModels.HIGGS_FEATURES))
        .addRawInputContents(ByteString.copyFrom(new byte[DemoModels.HIGGS_FEATURES * 4]))
        .build();
  }

  /** Closed loop: {@code concurrency} streams, each sends its next request when the last answer arrives. */
  static Result run(ManagedChannel channel, int concurrency, int warmupSeconds, int measureSeconds)
      throws InterruptedException {
    var stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
    ModelInferRequest request = request();
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    long measureStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = measureStart + TimeUnit.SECONDS.toNanos(measureSeconds);
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      new Runnable() {
        @Override
        public void run() {
          long start = System.nanoTime();
          if (start > end) {
            done.countDown();
            return;
          }
          Futures.addCallback(stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request),
              new FutureCallback<ModelInferResponse>() {
                @Override
                public void onSuccess(ModelInferResponse result) {
                  long now = System.nanoTime();
                  if (start >= measureStart && now <= end) {
                    recorder.recordValue((now - start) / 1000);
                  }
                  run();
                }

                @Override
                public void onFailure(Throwable t) {
                  errors.incrementAndGet();
                  run();
                }
              }, MoreExecutors.directExecutor());
        }
      }.run();
    }
    done.await(warmupSeconds + measureSeconds + 20L, TimeUnit.SECONDS);
    Histogram histogram = recorder.getIntervalHistogram();
    if (errors.get() > 0) {
      System.out.println("  (" + errors.get() + " errors)");
    }
    return new Result(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
        histogram.getTotalCount() / (double) measureSeconds);
  }
}
