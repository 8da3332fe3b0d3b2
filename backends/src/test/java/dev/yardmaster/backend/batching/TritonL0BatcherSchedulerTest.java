package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static dev.yardmaster.backend.batching.TestModels.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Triton's {@code qa/L0_batcher/batcher_test.py} tests that depend on instances or outputs, through
 * the scheduler's real threads. Where Triton delays its batcher ({@code TRITONSERVER_DELAY_SCHEDULER})
 * or its model ({@code execute_delay_ms}) so that requests queue, the test runner holds every
 * instance busy instead. Each method carries the name of the Triton test it ports and checks what
 * Triton's {@code check_status} checks: executions per batch size, requests, rows.
 */
class TritonL0BatcherSchedulerTest {
  @AutoClose private final SchedulerFixture fixture = new SchedulerFixture();
  private final TestModels.Runner runner = fixture.runner;
  private final ModelStats stats = fixture.stats;

  private DynamicBatchScheduler scheduler(int maxBatchSize, int instances, ModelDynamicBatching.Builder batching) {
    return fixture.open(maxBatchSize, instances, batching);
  }

  /** Triton's {@code batch_stats}: executions per batch size. */
  private Map<Integer, Long> executionsPerBatchSize() {
    Map<Integer, Long> executions = new TreeMap<>();
    stats.batchStats().forEach((size, batch) -> executions.put(size, batch.computeInfer().count()));
    return executions;
  }

  /** Submits requests of one row each, values 10 * i, and returns their futures. */
  private static List<CompletableFuture<InferResponse>> submitOneRowEach(DynamicBatchScheduler scheduler, int count) {
    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(scheduler.submit(request("r" + i, 1, 10 * i, 0, List.of())));
    }
    return futures;
  }

  @Test
  void test_max_queue_delay_only_default() throws Exception {
    // Triton: max_batch_size 100, max_queue_delay 0, no preferred size, one instance whose
    // execution takes 100 ms; twelve requests of 1 at once: exactly two executions, the first
    // request(s), then the rest, which queued while the instance was busy.
    DynamicBatchScheduler scheduler = scheduler(100, 1, ModelDynamicBatching.newBuilder());
    runner.hold();
    CompletableFuture<InferResponse> first = scheduler.submit(request("first", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    List<CompletableFuture<InferResponse>> rest = submitOneRowEach(scheduler, 11);

    runner.release();
    get(first);
    for (CompletableFuture<InferResponse> future : rest) {
      get(future);
    }

    assertThat(runner.batchSizes).containsExactly(1, 11);
    assertThat(executionsPerBatchSize()).isEqualTo(Map.of(1, 1L, 11, 1L));
    assertThat(stats.success().count()).isEqualTo(12);
    assertThat(stats.inferenceCount()).isEqualTo(12);
    assertThat(stats.executionCount()).isEqualTo(2);
  }

  @Test
  void test_multi_batch_preserve_ordering() throws Exception {
    // Triton: max_batch_size 4, preferred [ 4 ], two instances, twelve requests of 1 queued before
    // the batcher looks: {4: 3}, 3 executions, with or without preserve_ordering. Here two requests
    // keep both instances busy instead, so the twelve queue behind them.
    DynamicBatchScheduler scheduler = scheduler(4, 2,
        ModelDynamicBatching.newBuilder().addPreferredBatchSize(4).setPreserveOrdering(true));
    runner.hold();
    CompletableFuture<InferResponse> busy1 = scheduler.submit(request("busy1", 1, 0, 0, List.of()));
    awaitTrue("one instance busy", () -> runner.started.get() == 1);
    CompletableFuture<InferResponse> busy2 = scheduler.submit(request("busy2", 1, 0, 0, List.of()));
    awaitTrue("both instances busy", () -> runner.started.get() == 2);
    List<CompletableFuture<InferResponse>> queued = submitOneRowEach(scheduler, 12);

    runner.release();
    get(busy1);
    get(busy2);
    for (int i = 0; i < queued.size(); i++) {
      InferResponse response = get(queued.get(i));
      assertThat(response.id()).isEqualTo("r" + i);
      assertThat(response.outputs().get(0).toFloats()[0]).isEqualTo(2 * 10 * i);
    }

    assertThat(executionsPerBatchSize()).isEqualTo(Map.of(1, 2L, 4, 3L));
    assertThat(stats.executionCount()).isEqualTo(5);
    assertThat(runner.maxRunning.get()).isEqualTo(2);
  }

  @Test
  void test_multi_different_outputs() throws Exception {
    // Triton: two requests of 1, one asking for OUTPUT0 and the other for OUTPUT1, batch together
    // ({2: 1}) and each gets what it asked for. test_multi_same_output0/1 and
    // test_multi_different_output_order are the same with (y), (y) / (z), (z) / (y, z), (z, y).
    for (List<List<String>> asked : List.of(
        List.of(List.of("y"), List.of("z")),
        List.of(List.of("y"), List.of("y")),
        List.of(List.of("z"), List.of("z")),
        List.of(List.of("y", "z"), List.of("z", "y")))) {
      TestModels.Runner gate = new TestModels.Runner();
      DynamicBatchScheduler scheduler = fixture.open(spec(8, 1,
          ModelDynamicBatching.newBuilder().addPreferredBatchSize(2).addPreferredBatchSize(6)), gate, new ModelStats());
      gate.hold();
      CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
      awaitTrue("the instance busy", () -> gate.started.get() == 1);
      CompletableFuture<InferResponse> first = scheduler.submit(request("a", 1, 10, 0, asked.get(0)));
      CompletableFuture<InferResponse> second = scheduler.submit(request("b", 1, 20, 0, asked.get(1)));

      gate.release();
      get(busy);
      assertThat(get(first).outputs()).extracting(Tensor::name).as("%s", asked).containsExactlyElementsOf(asked.get(0));
      assertThat(get(second).outputs()).extracting(Tensor::name).as("%s", asked).containsExactlyElementsOf(asked.get(1));
      assertThat(gate.batchSizes).as("%s", asked).containsExactly(1, 2);
    }
  }
}
