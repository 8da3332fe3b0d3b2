package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** A fake model "m" (x: FP32[4] -> y = 2x, z = x + 1) and runners for scheduler tests. */
final class TestModels {
  static final Duration WAIT = Duration.ofSeconds(10);

  private TestModels() {}

  static ModelSpec spec(int maxBatchSize, int instances, ModelDynamicBatching.@Nullable Builder batching) {
    ModelConfig.Builder config = ModelConfig.newBuilder()
        .setName("m")
        .setMaxBatchSize(maxBatchSize)
        .addInstanceGroup(ModelInstanceGroup.newBuilder()
            .setCount(instances).setKind(ModelInstanceGroup.Kind.KIND_CPU));
    if (batching != null) {
      config.setDynamicBatching(batching);
    }
    return new ModelSpec("m", "1", "test", maxBatchSize,
        List.of(new TensorSpec("x", DataType.FP32, new long[] {4})),
        List.of(new TensorSpec("y", DataType.FP32, new long[] {4}), new TensorSpec("z", DataType.FP32, new long[] {4})),
        config.build());
  }

  /** A request of {@code rows} rows whose values are {@code base}, {@code base + 1}, ... */
  static InferRequest request(String id, int rows, float base, int priority, List<String> outputs) {
    float[] values = new float[rows * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = base + i;
    }
    Tensor x = Tensor.ofFloats("x", new long[] {rows, 4}, values);
    return new InferRequest("m", "", id, List.of(x), outputs, Map.of(), priority, 0, System.nanoTime());
  }

  static InferRequest withTimeoutMicros(InferRequest request, long timeoutMicros) {
    return new InferRequest(request.modelName(), request.modelVersion(), request.id(), request.inputs(),
        request.requestedOutputs(), request.parameters(), request.priority(), timeoutMicros, request.arrivalNanos());
  }

  /** The future's response, failing after {@link #WAIT}. */
  static InferResponse get(CompletableFuture<InferResponse> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** After a test: opens the runner's gate, closes each scheduler and checks it left nothing in flight or queued. */
  static void closeAndCheckIdle(Runner runner, List<DynamicBatchScheduler> schedulers) {
    runner.release();
    for (DynamicBatchScheduler scheduler : schedulers) {
      scheduler.close();
      assertThat(scheduler.inFlightRequests()).isZero();
      assertThat(scheduler.queuedRows()).isZero();
    }
  }

  /** Polls a condition that other threads make true; fails after {@link #WAIT}. */
  /** The test models' outputs of {@code x}: {@code y} = 2x, any other = x + 1, in {@code outputNames} order. */
  static List<Tensor> outputs(Tensor x, List<String> outputNames) {
    float[] values = x.toFloats();
    List<Tensor> outputs = new ArrayList<>();
    for (String name : outputNames) {
      float[] result = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        result[i] = name.equals("y") ? values[i] * 2 : values[i] + 1;
      }
      outputs.add(Tensor.ofFloats(name, x.shape(), result));
    }
    return outputs;
  }

  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Computes y = 2x and z = x + 1, records each execution's first values and batch size, and can
   * hold executions at a gate to keep instances busy.
   */
  static final class Runner implements ModelRunner {
    final Queue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
    final Queue<Float> firstValues = new ConcurrentLinkedQueue<>();
    /** The names of the threads that ran each execution. */
    final Queue<String> threads = new ConcurrentLinkedQueue<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** How long each execution takes at least. */
    volatile long delayNanos;

    /** Holds executions until {@link #release()}. */
    Runner hold() {
      gate = new CountDownLatch(1);
      return this;
    }

    void release() {
      gate.countDown();
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      started.incrementAndGet();
      try {
        if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("test runner gate: still closed after " + WAIT);
        }
        long until = System.nanoTime() + delayNanos;
        while (System.nanoTime() - until < 0) {
          LockSupport.parkNanos(until - System.nanoTime());
        }
        Tensor x = inputs.get("x");
        float[] values = x.toFloats();
        batchSizes.add((int) x.dim(0));
        threads.add(Thread.currentThread().getName());
        firstValues.add(values[0]);
        return outputs(x, outputNames);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public String kind() {
      return "test";
    }

    @Override
    public void close() {}
  }
}
