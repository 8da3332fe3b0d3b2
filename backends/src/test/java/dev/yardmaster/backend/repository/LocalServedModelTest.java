package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServedModelTest {

  @TempDir Path repository;

  @Test
  void validRequestRunsAndInvalidOneFailsTheFutureAndCountsAFailure() throws Exception {
    ModelSpec spec = ModelConfigLoader.load(
        TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4), 1)).spec(1);
    TestModels.IdentityRunnerFactory runners = new TestModels.IdentityRunnerFactory();
    TestModels.DirectSchedulerFactory schedulers = new TestModels.DirectSchedulerFactory();
    ModelRunner runner = runners.open(spec, repository);
    ModelStats stats = new ModelStats();
    long[] now = {1_000};
    LocalServedModel served = new LocalServedModel(spec, runner, schedulers.create(spec, runner, stats), stats,
        () -> now[0]);

    InferResponse response = served.infer(InferRequest.of("m", "", List.of(
        Tensor.ofFloats("input", new long[] {1, 4}, new float[] {1, 2, 3, 4})))).get();
    assertThat(response.outputs().get(0).name()).isEqualTo("output");
    assertThat(response.outputs().get(0).toFloats()).containsExactly(1, 2, 3, 4);

    InferRequest bad = new InferRequest("m", "", "", List.of(
        Tensor.ofFloats("input", new long[] {1, 3}, new float[3])), List.of(), java.util.Map.of(), 0, 0, 400);
    now[0] = 1_400;
    CompletableFuture<InferResponse> failed = served.infer(bad);

    assertThat(failed).isCompletedExceptionally();
    try {
      failed.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(InferenceException.class)
          .hasMessage("input 'input' shape: [1,3] (expected: [-1,4])");
    }
    assertThat(stats.fail().count()).isEqualTo(1);
    assertThat(stats.failures(ModelStats.FailureReason.OTHER)).isEqualTo(1);
    assertThat(stats.fail().nanos()).isEqualTo(1_000);
    assertThat(served.inFlightRequests()).isZero();
    assertThat(served.runnerKind()).isEqualTo("identity");

    served.close();
    assertThat(schedulers.closed).containsExactly("m/1");
    assertThat(runners.closed).containsExactly("m/1");
  }

  // As Triton's UpdateInstanceGroup: the update returns while the old scheduler still holds a
  // request, new requests go to the new scheduler, the held one completes, and closing the model
  // closes the runner only after the old scheduler drained.
  @Test
  void updateSwapsTheSchedulerWithoutWaitingAndCloseWaitsForTheOldOne() throws Exception {
    ModelSpec spec = ModelConfigLoader.load(
        TestModels.writeModel(repository, "m", TestModels.identityConfig("m", 4), 1)).spec(1);
    List<String> log = new CopyOnWriteArrayList<>();
    ModelRunner runner = new TestModels.IdentityRunnerFactory().open(spec, repository);
    ModelRunner logged = new ModelRunner() {
      @Override
      public List<Tensor> run(java.util.Map<String, Tensor> inputs, List<String> outputNames) {
        return runner.run(inputs, outputNames);
      }

      @Override
      public String kind() {
        return runner.kind();
      }

      @Override
      public void close() {
        log.add("runner closed");
      }
    };
    HeldScheduler old = new HeldScheduler("old", log);
    HeldScheduler updated = new HeldScheduler("new", log);
    LocalServedModel served = new LocalServedModel(spec, logged, old, new ModelStats());
    InferRequest request = InferRequest.of("m", "", List.of(Tensor.ofFloats("input", new long[] {1, 4}, new float[4])));
    CompletableFuture<InferResponse> held = served.infer(request);

    served.update(spec, updated);
    served.infer(request);
    assertThat(updated.submitted).hasSize(1);
    assertThat(old.submitted).hasSize(1);
    Thread closing = new Thread(served::close);
    closing.start();
    assertThat(updated.closed.await(10, TimeUnit.SECONDS)).isTrue();
    old.release();
    closing.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(held).isCompleted();
    assertThat(log).containsExactly("new closed", "old closed", "runner closed");
  }

  /** Holds every request until released; closing waits for the release, as a draining scheduler. */
  private static final class HeldScheduler implements Scheduler {
    final List<CompletableFuture<InferResponse>> submitted = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final String name;
    private final List<String> log;

    HeldScheduler(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    void release() {
      submitted.forEach(future -> future.complete(null));
      released.countDown();
    }

    @Override
    public CompletableFuture<InferResponse> submit(InferRequest request) {
      CompletableFuture<InferResponse> future = new CompletableFuture<>();
      submitted.add(future);
      return future;
    }

    @Override
    public int queuedRows() {
      return 0;
    }

    @Override
    public int queuedRequests() {
      return 0;
    }

    @Override
    public int inFlightRequests() {
      return submitted.size();
    }

    @Override
    public void close() {
      if (name.equals("old")) {
        try {
          released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      log.add(name + " closed");
      closed.countDown();
    }
  }
}
