package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.WAIT;
import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static dev.yardmaster.backend.batching.TestModels.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dynamic_batching.preserve_ordering} through the real batcher with two instances: the
 * first batch waits at a gate on one instance while later ones run on the other.
 *
 * <p>Each scenario submits "first" (the gated batch), then "second" and "third", each alone in its
 * batch on the free instance; the third starts only once the second's execution has returned, so
 * by then an unordered batcher has surely answered the second.
 */
class PreserveOrderingTest {
  private static final float GATED = 100;
  private static final float GATED_THEN_FAILS = -100;

  private final GatedRunner runner = new GatedRunner();
  private final List<DynamicBatchScheduler> schedulers = new ArrayList<>();
  private final Queue<String> completed = new ConcurrentLinkedQueue<>();

  private final ModelStats stats = new ModelStats();

  private DynamicBatchScheduler scheduler(boolean preserveOrdering) {
    DynamicBatchScheduler scheduler = new DynamicBatchScheduler(
        spec(8, 2, ModelDynamicBatching.newBuilder().setPreserveOrdering(preserveOrdering)), runner, stats);
    schedulers.add(scheduler);
    return scheduler;
  }

  @AfterEach
  void closeAndCheckIdle() {
    runner.gate.countDown();
    for (DynamicBatchScheduler scheduler : schedulers) {
      scheduler.close();
      assertThat(scheduler.inFlightRequests()).isZero();
    }
  }

  /** Submits a one-row request and records when it completes, answered or failed. */
  private CompletableFuture<InferResponse> submit(DynamicBatchScheduler scheduler, String id, float value) {
    CompletableFuture<InferResponse> future = scheduler.submit(request(id, 1, value, 0, List.of()));
    future.whenComplete((response, error) -> completed.add(id));
    return future;
  }

  /** Submits first (held at the gate), second and third; returns once third has started. */
  private List<CompletableFuture<InferResponse>> firstHeldLaterOnesRun(DynamicBatchScheduler scheduler,
      float firstValue) {
    CompletableFuture<InferResponse> first = submit(scheduler, "first", firstValue);
    awaitTrue("first at the gate", () -> runner.started.get() == 1);
    CompletableFuture<InferResponse> second = submit(scheduler, "second", 1);
    awaitTrue("second started", () -> runner.started.get() == 2);
    CompletableFuture<InferResponse> third = submit(scheduler, "third", 2);
    awaitTrue("third started, after second's execution returned", () -> runner.started.get() == 3);
    return List.of(first, second, third);
  }

  @Test
  void laterBatchesWaitForTheFirstWhenPreservingOrder() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(true);
    List<CompletableFuture<InferResponse>> futures = firstHeldLaterOnesRun(scheduler, GATED);

    assertThat(futures.get(1)).as("second, executed but behind first").isNotDone();

    runner.gate.countDown();
    awaitTrue("every caller answered", () -> completed.size() == 3);
    assertThat(completed).containsExactly("first", "second", "third");
    assertThat(get(futures.get(1)).outputs().get(0).toFloats()[0]).isEqualTo(2);
  }

  @Test
  void withoutPreserveOrderingALaterBatchAnswersFirst() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(false);
    List<CompletableFuture<InferResponse>> futures = firstHeldLaterOnesRun(scheduler, GATED);

    assertThat(futures.get(1)).as("second, answered while first waits").isDone();
    assertThat(futures.get(0)).isNotDone();

    runner.gate.countDown();
    awaitTrue("every caller answered", () -> completed.size() == 3);
    assertThat(completed).startsWith("second").contains("first");
  }

  @Test
  void aFailedFirstBatchStillReleasesTheLaterOnes() throws Exception {
    DynamicBatchScheduler scheduler = scheduler(true);
    List<CompletableFuture<InferResponse>> futures = firstHeldLaterOnesRun(scheduler, GATED_THEN_FAILS);

    runner.gate.countDown();

    awaitTrue("every caller answered", () -> completed.size() == 3);
    assertThat(completed).containsExactly("first", "second", "third");
    assertThatThrownBy(() -> get(futures.get(0))).hasCauseInstanceOf(InferenceException.class)
        .hasRootCauseMessage("first batch fails");
    assertThat(get(futures.get(1)).id()).isEqualTo("second");
    assertThat(get(futures.get(2)).id()).isEqualTo("third");
    assertThat(stats.failures(ModelStats.FailureReason.BACKEND)).as("the model's execution failed").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(floats = {GATED, GATED_THEN_FAILS})
  void closeWithHeldBatchesAnswersEveryCaller(float firstValue) throws Exception {
    DynamicBatchScheduler scheduler = scheduler(true);
    List<CompletableFuture<InferResponse>> futures = firstHeldLaterOnesRun(scheduler, firstValue);
    CompletableFuture<InferResponse> queued = submit(scheduler, "queued", 3);
    CompletableFuture<Void> closed = CompletableFuture.runAsync(scheduler::close);

    runner.gate.countDown();

    closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(futures).allMatch(CompletableFuture::isDone);
    assertThat(queued).isDone();
    assertThat(get(queued).id()).as("drained on close").isEqualTo("queued");
    awaitTrue("every caller answered", () -> completed.size() == 4);
    assertThat(completed).containsExactly("first", "second", "third", "queued");
  }

  /**
   * Computes y = 2x and z = x + 1; an execution whose first value is {@link #GATED} waits at the
   * gate, one whose first value is {@link #GATED_THEN_FAILS} waits and then throws.
   */
  private static final class GatedRunner implements ModelRunner {
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      started.incrementAndGet();
      Tensor x = inputs.get("x");
      float[] values = x.toFloats();
      if (values[0] == GATED || values[0] == GATED_THEN_FAILS) {
        try {
          if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("test runner gate: still closed after " + WAIT);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (values[0] == GATED_THEN_FAILS) {
          throw new IllegalStateException("first batch fails");
        }
      }
      return TestModels.outputs(x, outputNames);
    }

    @Override
    public String kind() {
      return "test";
    }

    @Override
    public void close() {}
  }
}
