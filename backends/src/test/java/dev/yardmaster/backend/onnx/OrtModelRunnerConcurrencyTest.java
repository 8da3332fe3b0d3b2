package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.protocol.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One runner serves all of a version's instances, so concurrent calls must not mix results. */
class OrtModelRunnerConcurrencyTest {
  @TempDir Path dir;

  @Test
  void concurrentCallsEachGetTheirOwnRowsResults() throws Exception {
    MlpSpec spec = DemoModels.mlp(DemoModels.HIGGS_MLP_V1);
    Path file = dir.resolve("higgs_mlp_v1/1/model.onnx");
    OnnxGraphBuilder.write(spec.toModel(), file);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OrtModelRunner runner =
        OrtModelRunner.open("higgs_mlp_v1", file, OrtRunnerOptions.defaults())) {
      List<Future<?>> calls = new ArrayList<>();
      for (int call = 0; call < 40; call++) {
        int seed = call;
        calls.add(
            pool.submit(
                () -> {
                  int rows = 1 + seed % 5;
                  float[] batch = OnnxDemoModelsTest.gaussianRows(rows, spec.inputWidth(), seed);
                  Tensor input =
                      Tensor.ofFloats("input", new long[] {rows, spec.inputWidth()}, batch);
                  float[] actual =
                      runner.run(Map.of("input", input), List.of("output")).get(0).toFloats();
                  float[] expected = spec.forwardBatch(batch, rows);
                  assertThat(actual).hasSize(expected.length);
                  for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).isCloseTo(expected[i], within(1e-4f));
                  }
                  return null;
                }));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
