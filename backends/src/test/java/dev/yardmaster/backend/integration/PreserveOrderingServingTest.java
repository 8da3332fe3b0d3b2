package dev.yardmaster.backend.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code preserve_ordering} on a real ONNX Runtime model with two instances, loaded from its
 * config.pbtxt: callers without an executor of their own are answered in the order they submitted.
 */
class PreserveOrderingServingTest {
  private static final int REQUESTS = 256;

  @TempDir Path repository;

  @Test
  void twoInstancesAnswerInSubmissionOrder() throws Exception {
    DemoModels.writeRepository(repository, true);
    Path configFile = repository.resolve(DemoModels.HIGGS_MLP_V1).resolve("config.pbtxt");
    ModelConfig.Builder config = ModelConfig.newBuilder();
    TextFormat.merge(Files.readString(configFile, StandardCharsets.UTF_8), config);
    config.getDynamicBatchingBuilder().setPreserveOrdering(true);
    config.getInstanceGroupBuilder(0).setCount(2);
    Files.writeString(configFile, TextFormat.printer().printToString(config.build()), StandardCharsets.UTF_8);

    try (RepositoryModelManager manager = new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(),
        Schedulers.factory(), RepositoryOptions.loadOnly(DemoModels.HIGGS_MLP_V1))) {
      ServedModel model = manager.resolve(DemoModels.HIGGS_MLP_V1, "");
      Queue<String> completed = new ConcurrentLinkedQueue<>();
      List<String> submitted = new ArrayList<>();
      List<CompletableFuture<InferResponse>> futures = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        String id = "r" + i;
        float[] row = new float[DemoModels.HIGGS_FEATURES];
        row[i % row.length] = i;
        Tensor input = Tensor.ofFloats("input", new long[] {1, row.length}, row);
        CompletableFuture<InferResponse> future = model.infer(
            new InferRequest(DemoModels.HIGGS_MLP_V1, "", id, List.of(input), List.of(), Map.of(), 0, 0,
                System.nanoTime()));
        future.whenComplete((response, error) -> completed.add(id));
        submitted.add(id);
        futures.add(future);
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (completed.size() < REQUESTS && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }

      assertThat(completed).containsExactlyElementsOf(submitted);
    }
  }
}
