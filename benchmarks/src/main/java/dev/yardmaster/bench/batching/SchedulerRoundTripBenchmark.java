package dev.yardmaster.bench.batching;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.backend.batching.DirectScheduler;
import dev.yardmaster.backend.batching.DynamicBatchScheduler;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch-1 request through a scheduler and back, as the serving path sees it: submit, the
 * execution on an instance thread, and the caller woken by the future. The model is a copy of
 * its 28 input floats (no compute), one instance, so the number is the scheduler's own
 * latency: its thread hops and locks. {@code direct} is batching off; {@code dynamic} is the
 * demo's dynamic batcher (max queue delay 0). With one JMH thread (a lone stream) the dynamic
 * batcher should cost what the direct scheduler costs; with {@code -t 16} requests queue behind
 * the busy instance and batch. Requests are built in {@link #setUp()}.
 *
 * <p>Run with {@code ./yardmaster jmh SchedulerRoundTripBenchmark -prof gc} (add {@code -t 16}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerRoundTripBenchmark {

  static final int FEATURES = 28;
  static final int MAX_BATCH_SIZE = 64;

  @Param({"direct", "dynamic"})
  public String scheduler;

  private Scheduler target;
  private final List<InferRequest> requests = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig.Builder config = ModelConfig.newBuilder()
        .setName("copy")
        .setMaxBatchSize(MAX_BATCH_SIZE)
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(1).setKind(ModelInstanceGroup.Kind.KIND_CPU));
    if (scheduler.equals("dynamic")) {
      config.setDynamicBatching(ModelDynamicBatching.newBuilder().addPreferredBatchSize(MAX_BATCH_SIZE));
    }
    ModelSpec spec = new ModelSpec("copy", "1", "bench", MAX_BATCH_SIZE,
        List.of(new TensorSpec("x", DataType.FP32, new long[] {FEATURES})),
        List.of(new TensorSpec("y", DataType.FP32, new long[] {FEATURES})),
        config.build());
    ModelRunner copy = new ModelRunner() {
      @Override
      public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        return List.of(inputs.get("x").withName("y"));
      }

      @Override
      public String kind() {
        return "copy";
      }

      @Override
      public void close() {}
    };
    target = scheduler.equals("dynamic")
        ? new DynamicBatchScheduler(spec, copy, new ModelStats())
        : new DirectScheduler(spec, copy, new ModelStats());
    for (int i = 0; i < 256; i++) {
      float[] values = new float[FEATURES];
      values[0] = i;
      requests.add(InferRequest.of("copy", "", List.of(Tensor.ofFloats("x", new long[] {1, FEATURES}, values))));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    target.close();
  }

  /** Each JMH thread walks the request pool from its own offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = (int) (Thread.currentThread().getId() * 31);
  }

  @Benchmark
  public Object roundTrip(Cursor cursor) {
    InferRequest request = requests.get(cursor.next++ & 255);
    return target.submit(request).join();
  }
}
