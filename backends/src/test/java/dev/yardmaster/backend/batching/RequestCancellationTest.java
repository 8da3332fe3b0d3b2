package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.awaitTrue;
import static dev.yardmaster.backend.batching.TestModels.get;
import static dev.yardmaster.backend.batching.TestModels.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A request whose caller went away while it was queued fails CANCELLED and is not executed, as in
 * Triton's {@code qa/L0_request_cancellation/scheduler_test.py}; the requests around it are served.
 */
class RequestCancellationTest {
  @AutoClose private final SchedulerFixture fixture = new SchedulerFixture();
  private final TestModels.Runner runner = fixture.runner;

  /** scheduler_test.py test_dynamic_batch_scheduler_request_cancellation */
  @Test
  void queuedRequestCancelledInTheDynamicBatcherIsDroppedFromItsBatch() throws Exception {
    DynamicBatchScheduler scheduler = fixture.open(8, 1, ModelDynamicBatching.newBuilder());
    AtomicBoolean gone = new AtomicBoolean();
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    CompletableFuture<InferResponse> cancelled = scheduler.submit(cancellable(request("gone", 2, 10, 0, List.of()), gone));
    CompletableFuture<InferResponse> kept = scheduler.submit(request("kept", 1, 20, 0, List.of()));

    gone.set(true);
    runner.release();

    assertThat(get(busy).id()).isEqualTo("busy");
    assertThat(get(kept).id()).isEqualTo("kept");
    assertCancelled(cancelled, "model 'm' request 'gone': cancelled by its caller after ");
    assertThat(runner.batchSizes).containsExactly(1, 1); // "kept" ran alone
    assertThat(fixture.stats.fail().count()).isEqualTo(1);
    assertThat(fixture.stats.failures(ModelStats.FailureReason.CANCELED)).isEqualTo(1);
    assertThat(fixture.stats.inferenceCount()).isEqualTo(2);
  }

  @Test
  void batchWhoseCallersAllWentAwayIsNotExecuted() throws Exception {
    DynamicBatchScheduler scheduler = fixture.open(8, 1, ModelDynamicBatching.newBuilder());
    AtomicBoolean gone = new AtomicBoolean();
    runner.hold();
    CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);
    CompletableFuture<InferResponse> first = scheduler.submit(cancellable(request("a", 1, 10, 0, List.of()), gone));
    CompletableFuture<InferResponse> second = scheduler.submit(cancellable(request("b", 1, 20, 0, List.of()), gone));

    gone.set(true);
    runner.release();

    assertThat(get(busy).id()).isEqualTo("busy");
    assertCancelled(first, "request 'a'");
    assertCancelled(second, "request 'b'");
    assertThat(runner.batchSizes).containsExactly(1);
    assertThat(fixture.stats.executionCount()).isEqualTo(1);
    awaitTrue("the scheduler idle", scheduler::idle);
  }

  @Test
  void requestWhoseCallerIsStillThereWhenItsBatchStartsRuns() throws Exception {
    DynamicBatchScheduler scheduler = fixture.open(8, 1, ModelDynamicBatching.newBuilder());
    AtomicBoolean gone = new AtomicBoolean();
    runner.hold();
    CompletableFuture<InferResponse> running = scheduler.submit(cancellable(request("running", 1, 0, 0, List.of()), gone));
    awaitTrue("the instance busy", () -> runner.started.get() == 1);

    gone.set(true); // too late: the execution has started
    runner.release();

    assertThat(get(running).id()).isEqualTo("running");
  }

  /** scheduler_test.py test_no_batcher_queued_request_cancellation */
  @Test
  void queuedRequestCancelledWithoutBatchingIsNotExecuted() throws Exception {
    DirectScheduler scheduler = new DirectScheduler(TestModels.spec(8, 1, null), runner, fixture.stats);
    try {
      AtomicBoolean gone = new AtomicBoolean();
      runner.hold();
      CompletableFuture<InferResponse> busy = scheduler.submit(request("busy", 1, 0, 0, List.of()));
      awaitTrue("the instance busy", () -> runner.started.get() == 1);
      CompletableFuture<InferResponse> cancelled = scheduler.submit(cancellable(request("gone", 1, 10, 0, List.of()), gone));
      CompletableFuture<InferResponse> kept = scheduler.submit(request("kept", 1, 20, 0, List.of()));

      gone.set(true);
      runner.release();

      assertThat(get(kept).id()).isEqualTo("kept");
      assertThat(get(busy).id()).isEqualTo("busy");
      assertCancelled(cancelled, "request 'gone'");
      assertThat(runner.batchSizes).containsExactly(1, 1);
      assertThat(fixture.stats.executionCount()).isEqualTo(2);
    } finally {
      close(scheduler);
    }
  }

  private static InferRequest cancellable(InferRequest request, AtomicBoolean gone) {
    return new InferRequest(request.modelName(), request.modelVersion(), request.id(), request.inputs(),
        request.requestedOutputs(), request.parameters(), request.priority(), request.timeoutMicros(),
        request.arrivalNanos(), gone::get);
  }

  private static void assertCancelled(CompletableFuture<InferResponse> future, String messagePart) {
    ExecutionException thrown = catchThrowableOfType(ExecutionException.class, () -> get(future));
    assertThat(thrown.getCause()).isInstanceOf(InferenceException.class);
    InferenceException failure = (InferenceException) thrown.getCause();
    assertThat(failure.status()).isEqualTo(InferenceException.Status.CANCELLED);
    assertThat(failure.getMessage()).contains(messagePart);
  }

  private void close(Scheduler scheduler) {
    runner.release();
    scheduler.close();
    assertThat(scheduler.inFlightRequests()).isZero();
  }
}
