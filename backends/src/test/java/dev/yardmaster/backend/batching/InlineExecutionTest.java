package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.WAIT;
import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static dev.yardmaster.backend.batching.TestModels.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inline execution of the dynamic batcher: batches of a model that allows it run on the caller's
 * executor, formed when its task runs, while unknown or heavy batch sizes stay on instance threads.
 */
class InlineExecutionTest {
  private final TestModels.Runner runner = new TestModels.Runner();
  private final ModelStats stats = new ModelStats();
  private final List<DynamicBatchScheduler> schedulers = new ArrayList<>();

  /** Runs its tasks only when the test says, on the test's thread, like an event loop would later. */
  static final class CallerLoop implements Executor {
    final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }

    /** Runs tasks as other threads post them until {@code future} completes; its response. */
    InferResponse runUntilDone(CompletableFuture<InferResponse> future) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!future.isDone() && System.nanoTime() - deadline < 0) {
        runAll();
        Thread.onSpinWait();
      }
      return get(future);
    }
  }

  private static ModelSpec inlineSpec(String maxMicros) {
    return inlineSpec(maxMicros, ModelDynamicBatching.newBuilder());
  }

  private static ModelSpec inlineSpec(String maxMicros, ModelDynamicBatching.Builder batching) {
    ModelSpec base = spec(8, 1, batching);
    ModelConfig config = base.config().toBuilder()
        .putParameters(DynamicBatchScheduler.INLINE_EXECUTION_PARAMETER,
            ModelParameter.newBuilder().setStringValue(maxMicros).build())
        .build();
    return new ModelSpec(base.name(), base.version(), base.platform(), base.maxBatchSize(), base.inputs(),
        base.outputs(), config);
  }

  private DynamicBatchScheduler scheduler(String maxMicros) {
    DynamicBatchScheduler scheduler = new DynamicBatchScheduler(inlineSpec(maxMicros), runner, stats);
    schedulers.add(scheduler);
    return scheduler;
  }

  @AfterEach
  void closeAndCheckIdle() {
    TestModels.closeAndCheckIdle(runner, schedulers);
  }

  /** One execution of every batch size up to {@code rows} on the instance thread, so sizes are measured. */
  private void measureSizesUpTo(DynamicBatchScheduler scheduler, int rows) throws Exception {
    for (int size = 1; size <= rows; size++) {
      get(scheduler.submit(request("warm" + size, size, 0, 0, List.of())));
    }
    awaitTrue("the instance free again", scheduler::idle);
    runner.threads.clear();
    runner.batchSizes.clear();
  }

  @Test
  void aCheapBatchIsFormedAndRunOnTheCallersExecutorWithEveryRequestQueuedMeanwhile() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1000000");
    measureSizesUpTo(scheduler, 3);
    CallerLoop loop = new CallerLoop();

    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(scheduler.submit(request("r" + i, 1, i * 10, 0, List.of("y")), loop));
    }
    assertThat(loop.tasks).hasSize(1); // the first request reserved the instance; the others queued
    assertThat(futures).noneMatch(CompletableFuture::isDone);

    loop.runAll();

    assertThat(futures).allMatch(CompletableFuture::isDone);
    assertThat(runner.batchSizes).containsExactly(3);
    assertThat(runner.threads).containsExactly(Thread.currentThread().getName());
    for (int i = 0; i < 3; i++) {
      assertThat(get(futures.get(i)).outputs().get(0).toFloats()[0]).isEqualTo(2f * i * 10);
    }
  }

  @Test
  void withPreserveOrderingACheapBatchStillRunsOnTheCallersExecutorAndAnswersThere() throws Exception {
    DynamicBatchScheduler scheduler = new DynamicBatchScheduler(
        inlineSpec("1000000", ModelDynamicBatching.newBuilder().setPreserveOrdering(true)), runner, stats);
    schedulers.add(scheduler);
    measureSizesUpTo(scheduler, 3);
    CallerLoop loop = new CallerLoop();

    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    Queue<String> completed = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<InferResponse> future = scheduler.submit(request("r" + i, 1, i * 10, 0, List.of("y")), loop);
      future.whenComplete((response, error) -> completed.add(response.id()));
      futures.add(future);
    }
    loop.runAll(); // the batch, then the completions it posted back to the loop, in order

    assertThat(futures).allMatch(CompletableFuture::isDone);
    assertThat(completed).containsExactly("r0", "r1", "r2");
    assertThat(runner.threads).containsExactly(Thread.currentThread().getName());
    assertThat(get(futures.get(2)).outputs().get(0).toFloats()[0]).isEqualTo(40f);
  }

  @Test
  void aBatchSizeNotMeasuredYetRunsOnAnInstanceThread() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1000000");
    CallerLoop loop = new CallerLoop();

    CompletableFuture<InferResponse> future = scheduler.submit(request("r", 2, 0, 0, List.of()), loop);
    loop.runAll();

    loop.runUntilDone(future);
    assertThat(runner.threads).singleElement().asString().contains("-instance-");
  }

  @Test
  void aBatchExpectedToTakeLongerThanTheLimitRunsOnAnInstanceThread() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1");
    runner.delayNanos = TimeUnit.MILLISECONDS.toNanos(2); // every execution is measured above 1 us
    measureSizesUpTo(scheduler, 1);
    CallerLoop loop = new CallerLoop();

    CompletableFuture<InferResponse> future = scheduler.submit(request("r", 1, 0, 0, List.of()), loop);
    loop.runAll();

    loop.runUntilDone(future);
    assertThat(runner.threads).singleElement().asString().contains("-instance-");
  }

  @Test
  void aCallerExecutorThatRejectsHandsTheBatchToAnInstanceThread() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1000000");
    measureSizesUpTo(scheduler, 1);
    Executor shutDown = task -> {
      throw new RejectedExecutionException("event loop: shut down");
    };

    InferResponse response = get(scheduler.submit(request("r", 1, 5, 0, List.of("z")), shutDown));

    assertThat(response.outputs().get(0).toFloats()[0]).isEqualTo(6f);
    assertThat(runner.threads).singleElement().asString().contains("-instance-");
  }

  @Test
  void aSubmissionFromAnInlineCallbackIsNotDeferredAgain() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1000000");
    measureSizesUpTo(scheduler, 1);
    CallerLoop loop = new CallerLoop();
    CompletableFuture<CompletableFuture<InferResponse>> nested = new CompletableFuture<>();

    CompletableFuture<InferResponse> first = scheduler.submit(request("r1", 1, 0, 0, List.of()), loop);
    first.thenRun(() -> nested.complete(scheduler.submit(request("r2", 1, 0, 0, List.of()), loop)));
    loop.runAll();

    // r2 queued behind r1's execution; the inline run then took it as its next due batch
    get(nested.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(loop.tasks).isEmpty();
    assertThat(runner.batchSizes).containsExactly(1, 1);
  }

  @Test
  void withoutTheParameterTheBatchRunsOnAnInstanceThreadAndOnlyTheResponseComesBackOnTheCallersExecutor()
      throws Exception {
    DynamicBatchScheduler scheduler = new DynamicBatchScheduler(spec(8, 1, ModelDynamicBatching.newBuilder()),
        runner, stats);
    schedulers.add(scheduler);
    measureSizesUpTo(scheduler, 1);
    CallerLoop loop = new CallerLoop();

    CompletableFuture<InferResponse> future = scheduler.submit(request("r", 1, 0, 0, List.of()), loop);
    awaitTrue("the response handed to the caller's executor", () -> !loop.tasks.isEmpty());

    assertThat(future).isNotDone();
    loop.runAll();
    assertThat(get(future).outputs()).isNotEmpty();
    assertThat(runner.threads).singleElement().asString().contains("-instance-");
  }

  @Test
  void closeDrainsABatchReservedForTheCallersExecutor() throws Exception {
    DynamicBatchScheduler scheduler = scheduler("1000000");
    measureSizesUpTo(scheduler, 1);
    CallerLoop loop = new CallerLoop();
    CompletableFuture<InferResponse> future = scheduler.submit(request("r", 1, 0, 0, List.of()), loop);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(scheduler::close);
    loop.runAll();

    get(future);
    closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void rejectsAnInvalidLimitNamingTheParameter() {
    assertThatThrownBy(() -> new DynamicBatchScheduler(inlineSpec("fast"), runner, stats))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameters.inline_execution_max_microseconds: 'fast'")
        .hasMessageContaining("expected: whole microseconds >= 0");
  }
}
