package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.WAIT;
import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dynamic batcher through real threads; every wait is bounded by {@link TestModels#WAIT}. */
class DynamicBatchSchedulerTest {
  @AutoClose private final SchedulerFixture fixture = new SchedulerFixture();
  private final TestModels.Runner runner = fixture.runner;
  private final ModelStats stats = fixture.stats;

  private DynamicBatchScheduler scheduler(int maxBatchSize, int instances, ModelDynamicBatching.Builder batching) {
    return fixture.open(maxBatchSize, instances, batching);
  }

  private static InferenceException failure(CompletableFuture<InferResponse> future) {
    Throwable thrown = null;
    try {
      get(future);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(InferenceException.class);
    return (InferenceException) thrown;
  }

  /** With {@code held}, instances stay busy until all 64 are queued, so batches surely form. */
  @ParameterizedTest(name = "held={0}")
  @ValueSource(booleans = {true, false})
  void sixtyFourCallersEachGetTheirOwnRows(boolean held) throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 2,
        ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(1_000));
    if (held) {
      runner.hold();
    }
    ExecutorService callers = Executors.newFixedThreadPool(64);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<InferResponse>> responses = new ArrayList<>();
      for (int caller = 0; caller < 64; caller++) {
        InferRequest request = request("r" + caller, 1 + caller % 3, caller * 100, 0, outputsOf(caller));
        responses.add(callers.submit(() -> {
          start.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
          return get(scheduler.submit(request));
        }));
      }
      start.countDown();
      if (held) {
        awaitTrue("64 requests accepted", () -> scheduler.inFlightRequests() == 64);
        runner.release();
      }

      int totalRows = 0;
      for (int caller = 0; caller < 64; caller++) {
        int rows = 1 + caller % 3;
        totalRows += rows;
        InferResponse response = responses.get(caller).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(response.id()).isEqualTo("r" + caller);
        assertThat(response.modelName()).isEqualTo("m");
        assertThat(response.modelVersion()).isEqualTo("1");
        List<String> expectedNames = outputsOf(caller).isEmpty() ? List.of("y", "z") : outputsOf(caller);
        assertThat(response.outputs()).extracting(Tensor::name).containsExactlyElementsOf(expectedNames);
        for (Tensor output : response.outputs()) {
          assertThat(output.shape()).containsExactly(rows, 4);
          float[] values = output.toFloats();
          for (int i = 0; i < values.length; i++) {
            float x = caller * 100 + i;
            assertThat(values[i]).isEqualTo(output.name().equals("y") ? 2 * x : x + 1);
          }
        }
      }
      assertThat(runner.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
      if (held) {
        assertThat(runner.batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
      }
      assertThat(runner.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(totalRows);
      assertThat(runner.maxRunning.get()).isLessThanOrEqualTo(2);
      assertThat(stats.success().count()).isEqualTo(64);
      assertThat(stats.inferenceCount()).isEqualTo(totalRows);
      assertThat(stats.queue().count()).isEqualTo(64);
      assertThat(stats.executionCount()).isEqualTo(runner.batchSizes.size());
      assertThat(stats.batchStats().keySet()).containsAll(runner.batchSizes);
    } finally {
      callers.shutdownNow();
    }
  }

  private static List<String> outputsOf(int caller) {
    return switch (caller % 4) {
      case 0 -> List.of();
      case 1 -> List.of("z", "y");
      case 2 -> List.of("y");
      default -> List.of("z");
    };
  }

  @Test
  void anIdleInstanceWaitsForMaxQueueDelayBeforeFormingTheBatch() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(8).setMaxQueueDelayMicroseconds(200_000));
    long startNanos = System.nanoTime();
    CompletableFuture<InferResponse> first = scheduler.submit(request("a", 1, 0, 0, List.of()));
    CompletableFuture<InferResponse> second = scheduler.submit(request("b", 2, 10, 0, List.of()));

    assertThat(get(first).id()).isEqualTo("a");
    assertThat(get(second).id()).isEqualTo("b");
    assertThat(System.nanoTime() - startNanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(runner.batchSizes).containsExactly(3);
  }

  @Test
  void countsQueuedRequestsApartFromTheirRows() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder());
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    List<CompletableFuture<InferResponse>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(scheduler.submit(request("q" + i, 2, 10 * (i + 1), 0, List.of())));
    }

    assertThat(scheduler.queuedRequests()).isEqualTo(3);
    assertThat(scheduler.queuedRows()).isEqualTo(6);

    runner.release();
    get(busy);
    for (CompletableFuture<InferResponse> future : queued) {
      get(future);
    }
    assertThat(scheduler.queuedRequests()).isZero();
  }

  @Test
  void aFinishedBatchHandsItsInstanceToTheQueuedRequests() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder());
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    List<CompletableFuture<InferResponse>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(scheduler.submit(request("q" + i, 1, 10 * (i + 1), 0, List.of())));
    }
    assertThat(scheduler.queuedRows()).isEqualTo(5);

    runner.release();

    assertThat(get(busy).id()).isEqualTo("busy");
    for (int i = 0; i < 5; i++) {
      assertThat(get(queued.get(i)).id()).isEqualTo("q" + i);
    }
    assertThat(runner.batchSizes).containsExactly(1, 5);
    assertThat(runner.threads).allSatisfy(name -> assertThat(name).contains("-instance-"));
  }

  @Test
  void queueTimeoutFailsWithDeadlineExceeded() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder()
        .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder()
            .setAllowTimeoutOverride(true).setDefaultTimeoutMicroseconds(60_000_000)));
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);

    CompletableFuture<InferResponse> impatient =
        scheduler.submit(TestModels.withTimeoutMicros(request("impatient", 1, 10, 0, List.of()), 1_000));
    CompletableFuture<InferResponse> patient = scheduler.submit(request("patient", 1, 20, 0, List.of()));

    InferenceException error = failure(impatient);
    assertThat(error.status()).isEqualTo(InferenceException.Status.DEADLINE_EXCEEDED);
    assertThat(error.getMessage()).startsWith("Request timeout expired: model 'm' request 'impatient' queue time: ")
        .endsWith("(expected: <= timeout 1000 us)");
    assertThat(patient).isNotDone();
    runner.release();
    assertThat(get(busy).id()).isEqualTo("busy");
    assertThat(get(patient).id()).isEqualTo("patient");
    assertThat(stats.fail().count()).isEqualTo(1);
    assertThat(stats.failures(ModelStats.FailureReason.REJECTED)).isEqualTo(1);
  }

  @Test
  void rejectsWhenQueueFull() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder()
        .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder().setMaxQueueSize(2)));
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    CompletableFuture<InferResponse> first = scheduler.submit(request("a", 1, 10, 0, List.of()));
    CompletableFuture<InferResponse> second = scheduler.submit(request("b", 1, 20, 0, List.of()));

    CompletableFuture<InferResponse> third = scheduler.submit(request("c", 1, 30, 0, List.of()));

    assertThat(third).isCompletedExceptionally();
    InferenceException error = failure(third);
    assertThat(error.status()).isEqualTo(InferenceException.Status.RESOURCE_EXHAUSTED);
    assertThat(error.getMessage()).isEqualTo(
        "model 'm' priority level 1 queued requests: 2 (expected: < max_queue_size 2); retry later");
    runner.release();
    assertThat(List.of(get(busy).id(), get(first).id(), get(second).id())).containsExactly("busy", "a", "b");
  }

  @Test
  void goldBeforeBronzeWhenSaturated() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(2, 1,
        ModelDynamicBatching.newBuilder().setPriorityLevels(3).setDefaultPriorityLevel(3));
    runner.hold();
    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    futures.add(scheduler.submit(request("busy", 1, 0, 0, List.of())));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    futures.add(scheduler.submit(request("bronze1", 1, 1000, 3, List.of())));
    futures.add(scheduler.submit(request("bronze2", 1, 2000, 0, List.of())));
    futures.add(scheduler.submit(request("bronze3", 1, 3000, 3, List.of())));
    futures.add(scheduler.submit(request("gold1", 1, 100, 1, List.of())));
    futures.add(scheduler.submit(request("gold2", 1, 200, 1, List.of())));
    assertThat(scheduler.queuedRows()).isEqualTo(5);

    runner.release();
    for (CompletableFuture<InferResponse> future : futures) {
      get(future);
    }

    assertThat(runner.firstValues).containsExactly(0f, 100f, 1000f, 3000f);
    assertThat(runner.batchSizes).containsExactly(1, 2, 2, 1);
  }

  @Test
  void closeDrainsTheQueueThenRejects() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(8).setMaxQueueDelayMicroseconds(60_000_000));
    List<CompletableFuture<InferResponse>> futures = List.of(
        scheduler.submit(request("a", 1, 0, 0, List.of())),
        scheduler.submit(request("b", 2, 10, 0, List.of())));

    CompletableFuture.runAsync(scheduler::close).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(get(futures.get(0)).id()).isEqualTo("a");
    assertThat(get(futures.get(1)).outputs().get(0).shape()).containsExactly(2, 4);
    assertThat(runner.batchSizes).containsExactly(3);
    InferenceException error = failure(scheduler.submit(request("late", 1, 0, 0, List.of())));
    assertThat(error.status()).isEqualTo(InferenceException.Status.UNAVAILABLE);
    assertThat(error.getMessage()).isEqualTo("model 'm' is unloading");
  }

  @Test
  void closeFromACallbackOnTheSchedulersThreadDoesNotDeadlock() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(8, 1, ModelDynamicBatching.newBuilder());
    runner.hold();
    CompletableFuture<InferResponse> first = scheduler.submit(request("a", 1, 0, 0, List.of()));
    CompletableFuture<Void> closedInCallback = first.thenRun(scheduler::close);
    runner.release();

    closedInCallback.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(failure(scheduler.submit(request("late", 1, 0, 0, List.of()))).status())
        .isEqualTo(InferenceException.Status.UNAVAILABLE);
  }

  @Test
  void rejectsABatchLargerThanMaxBatchSize() {
    DynamicBatchScheduler scheduler = scheduler(4, 1, ModelDynamicBatching.newBuilder());

    InferenceException error = failure(scheduler.submit(request("big", 5, 0, 0, List.of())));

    assertThat(error.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT);
    assertThat(error.getMessage()).isEqualTo("input 'x' batch size: 5 (expected: >= 1 and <= max_batch_size 4)");
  }

  @Test
  void rejectsAnUnknownRequestedOutput() {
    DynamicBatchScheduler scheduler = scheduler(4, 1, ModelDynamicBatching.newBuilder());

    assertThatThrownBy(() -> get(scheduler.submit(request("r", 1, 0, 0, List.of("w")))))
        .hasCauseInstanceOf(InferenceException.class)
        .cause().hasMessage("model 'm' requested output 'w': unknown (expected: one of [y, z])");
  }
}
