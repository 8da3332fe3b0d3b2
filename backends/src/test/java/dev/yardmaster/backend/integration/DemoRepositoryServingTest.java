package dev.yardmaster.backend.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.MlpSpec;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pieces together: the generated demo repository, loaded by the repository manager,
 * executed by ONNX Runtime behind the dynamic batcher.
 */
class DemoRepositoryServingTest {
  @TempDir static Path repository;
  static RepositoryModelManager manager;

  @BeforeAll
  static void load() throws Exception {
    DemoModels.writeRepository(repository, true);
    manager = new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(), Schedulers.factory(),
        RepositoryOptions.loadAllModels());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void everyDemoModelIsReady() {
    for (String model : DemoModels.DEMO_MODELS) {
      assertThat(manager.isReady(model, "")).as(model).isTrue();
      assertThat(manager.readyVersions(model)).containsExactly("1");
    }
  }

  @Test
  void sixtyFourConcurrentCallersEachGetTheirOwnRowsThroughTheBatcher() throws Exception {
    ServedModel model = manager.resolve(DemoModels.HIGGS_MLP_V1, "");
    MlpSpec reference = DemoModels.mlp(DemoModels.HIGGS_MLP_V1);
    SplittableRandom random = new SplittableRandom(7);
    List<float[]> rows = new ArrayList<>();
    List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      float[] row = new float[DemoModels.HIGGS_FEATURES];
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) random.nextDouble(-2, 2);
      }
      rows.add(row);
      Tensor input = Tensor.ofFloats("input", new long[] {1, row.length}, row);
      futures.add(model.infer(InferRequest.of(DemoModels.HIGGS_MLP_V1, "", List.of(input))));
    }
    for (int i = 0; i < 64; i++) {
      InferResponse response = futures.get(i).get(30, TimeUnit.SECONDS);
      float expected = reference.forward(rows.get(i))[0];
      assertThat(response.outputs().get(0).toFloats()[0]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4f));
    }
    assertThat(model.stats().inferenceCount()).isGreaterThanOrEqualTo(64);
  }

  @Test
  void wrongFeatureCountIsInvalidArgumentNamingTheInput() {
    ServedModel model = manager.resolve(DemoModels.WIDE_MLP, "");
    Tensor input = Tensor.ofFloats("input", new long[] {1, 27}, new float[27]);
    CompletableFuture<InferResponse> future = model.infer(InferRequest.of(DemoModels.WIDE_MLP, "", List.of(input)));
    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(InferenceException.class, e -> {
          assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT);
          assertThat(e.getMessage()).contains("'input'");
        });
  }

  @Test
  void unknownModelIsNotFound() {
    assertThatThrownBy(() -> manager.resolve("nope", ""))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.NOT_FOUND));
  }
}
