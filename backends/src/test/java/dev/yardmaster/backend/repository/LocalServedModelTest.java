package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
}
