package dev.yardmaster.bench.batching;

import dev.yardmaster.backend.batching.BatchFormer;
import dev.yardmaster.backend.batching.BatchingPolicy;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batcher's pure state machine at c=64: {@value #REQUESTS} batch-1 requests offered, then
 * {@link BatchFormer#nextBatch} returns them as one batch of 64 (the largest preferred size).
 * Reported per request ({@link OperationsPerInvocation}), so the number is the batch-forming cost
 * one request pays, under the batcher's lock. {@code priorityLevels} 1 is the demo config;
 * 3 adds Yardmaster's gold/silver/bronze levels with requests spread over them. Requests, keys and
 * the policy are built in {@link #setUp()}.
 *
 * <p>Run with {@code ./yardmaster jmh BatchFormerBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchFormerBenchmark {

  static final int REQUESTS = 64;

  @Param({"1", "3"})
  public int priorityLevels;

  private BatchFormer<Object> former;
  private Object[] requests;
  private int[] levels;
  private final Object batchKey = List.of("input:FP32[28]"); // any value: the former only compares keys
  private long now;

  @Setup
  public void setUp() {
    ModelConfig config = ModelConfig.newBuilder()
        .setName("wide_mlp")
        .setMaxBatchSize(REQUESTS)
        .setDynamicBatching(ModelDynamicBatching.newBuilder()
            .addPreferredBatchSize(REQUESTS)
            .setMaxQueueDelayMicroseconds(500)
            .setPriorityLevels(priorityLevels)
            .setDefaultPriorityLevel(priorityLevels))
        .build();
    former = new BatchFormer<>(BatchingPolicy.from(config));
    requests = new Object[REQUESTS];
    levels = new int[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      requests[i] = new Object();
      levels[i] = 1 + i % priorityLevels;
    }
  }

  /** Offers 64 requests and takes the batch they form; the former is empty again after. */
  @Benchmark
  @OperationsPerInvocation(REQUESTS)
  public BatchFormer.Batch<Object> offer64ThenNextBatch() {
    long t = now += 1_000_000;
    for (int i = 0; i < REQUESTS; i++) {
      former.offer(requests[i], 1, levels[i], t + i, 0, batchKey);
    }
    BatchFormer.Batch<Object> batch = former.nextBatch(t + REQUESTS);
    if (batch == null || batch.rows() != REQUESTS) {
      throw new IllegalStateException("batch: " + batch + " (expected: 64 rows at once)");
    }
    return batch;
  }
}
