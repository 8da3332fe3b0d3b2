package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.WAIT;
import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static dev.yardmaster.backend.batching.TestModels.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirectSchedulerTest {
  private final TestModels.Runner runner = new TestModels.Runner();
  private final ModelStats stats = new ModelStats();

  @Test
  void runsEachRequestAloneAtMostInstancesAtOnce() throws Exception {
    DirectScheduler scheduler = new DirectScheduler(spec(8, 2, null), runner, stats);
    try {
      runner.hold();
      List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(scheduler.submit(request("r" + i, 2, i * 100, 0, List.of("z"))));
      }
      awaitTrue("both instances busy", () -> runner.started.get() == 2);
      assertThat(scheduler.queuedRows()).isEqualTo(8);
      assertThat(scheduler.queuedRequests()).isEqualTo(4);
      assertThat(scheduler.inFlightRequests()).isEqualTo(6);

      runner.release();
      for (int i = 0; i < 6; i++) {
        InferResponse response = get(futures.get(i));
        assertThat(response.id()).isEqualTo("r" + i);
        assertThat(response.outputs()).extracting(Tensor::name).containsExactly("z");
        assertThat(response.outputs().get(0).toFloats()[0]).isEqualTo(i * 100 + 1);
      }
      assertThat(runner.batchSizes).containsOnly(2).hasSize(6);
      assertThat(runner.maxRunning.get()).isEqualTo(2);
      assertThat(stats.executionCount()).isEqualTo(6);
      assertThat(stats.inferenceCount()).isEqualTo(12);
      assertThat(stats.success().count()).isEqualTo(6);
      assertThat(scheduler.inFlightRequests()).isZero();
    } finally {
      runner.release();
      scheduler.close();
    }
  }

  @Test
  void servesAModelWithoutBatchDimension() throws Exception {
    DirectScheduler scheduler = new DirectScheduler(spec(0, 1, null), runner, stats);
    try {
      Tensor x = Tensor.ofFloats("x", new long[] {4}, new float[] {1, 2, 3, 4});
      InferResponse response = get(scheduler.submit(
          new dev.yardmaster.backend.InferRequest("m", "1", "r", List.of(x), List.of(), java.util.Map.of(), 0, 0, 0)));

      assertThat(response.outputs()).extracting(Tensor::name).containsExactly("y", "z");
      assertThat(response.outputs().get(0).toFloats()).containsExactly(2, 4, 6, 8);
      assertThat(stats.batchStats().keySet()).containsExactly(1);
    } finally {
      scheduler.close();
    }
  }

  @Test
  void closeDrainsTheQueueThenRejects() throws Exception {
    DirectScheduler scheduler = new DirectScheduler(spec(8, 1, null), runner, stats);
    runner.hold();
    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(scheduler.submit(request("r" + i, 1, i, 0, List.of())));
    }
    awaitTrue("the instance busy", () -> runner.started.get() == 1);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(scheduler::close);
    awaitTrue("close under way",
        () -> scheduler.submit(request("late", 1, 0, 0, List.of())).isCompletedExceptionally());
    runner.release();
    closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    for (CompletableFuture<InferResponse> future : futures) {
      assertThat(future).isCompletedWithValueMatching(response -> response.outputs().size() == 2);
    }
    try {
      get(scheduler.submit(request("late", 1, 0, 0, List.of())));
    } catch (ExecutionException e) {
      InferenceException error = (InferenceException) e.getCause();
      assertThat(error.status()).isEqualTo(InferenceException.Status.UNAVAILABLE);
      assertThat(error.getMessage()).isEqualTo("model 'm' is unloading");
      return;
    }
    throw new AssertionError("a request after close succeeded");
  }
}
