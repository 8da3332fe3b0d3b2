package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.TextFormat;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxDemoModelsTest {
  @TempDir static Path repo;

  @BeforeAll
  static void writeRepository() throws IOException {
    DemoModels.writeRepository(repo, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {DemoModels.HIGGS_MLP_V1, DemoModels.HIGGS_MLP_V2, DemoModels.WIDE_MLP})
  void mlpOutputMatchesTheJavaReferenceAtBatchOneAndSeven(String name) {
    MlpSpec spec = DemoModels.mlp(name);
    try (OrtModelRunner runner = open(name)) {
      for (int rows : new int[] {1, 7}) {
        float[] batch = gaussianRows(rows, spec.inputWidth(), 42 + rows);
        Tensor input = Tensor.ofFloats("input", new long[] {rows, spec.inputWidth()}, batch);

        List<Tensor> outputs = runner.run(Map.of("input", input), List.of("output"));

        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).name()).isEqualTo("output");
        assertThat(outputs.get(0).shape()).containsExactly(rows, 1);
        float[] actual = outputs.get(0).toFloats();
        float[] expected = spec.forwardBatch(batch, rows);
        for (int i = 0; i < expected.length; i++) {
          assertThat(actual[i])
              .as("%s row %d of %d", name, i, rows)
              .isCloseTo(expected[i], within(1e-4f));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {DemoModels.HIGGS_MLP_V1, DemoModels.HIGGS_MLP_V2, DemoModels.WIDE_MLP})
  void mlpOutputsSpreadInsteadOfSaturating(String name) {
    MlpSpec spec = DemoModels.mlp(name);
    float[] outputs = spec.forwardBatch(gaussianRows(64, spec.inputWidth(), 7), 64);
    float min = 1;
    float max = 0;
    for (float output : outputs) {
      min = Math.min(min, output);
      max = Math.max(max, output);
    }
    assertThat(min).isGreaterThan(0.001f);
    assertThat(max).isLessThan(0.999f);
    assertThat(max - min).as("spread of %s", name).isGreaterThan(0.2f);
  }

  @Test
  void addSubAddsAndSubtractsExactly() {
    float[] a = gaussianRows(3, DemoModels.ADD_SUB_WIDTH, 1);
    float[] b = gaussianRows(3, DemoModels.ADD_SUB_WIDTH, 2);
    long[] shape = {3, DemoModels.ADD_SUB_WIDTH};
    try (OrtModelRunner runner = open(DemoModels.ADD_SUB)) {
      List<Tensor> outputs =
          runner.run(
              Map.of(
                  "INPUT0",
                  Tensor.ofFloats("INPUT0", shape, a),
                  "INPUT1",
                  Tensor.ofFloats("INPUT1", shape, b)),
              List.of("OUTPUT1", "OUTPUT0"));

      assertThat(outputs).extracting(Tensor::name).containsExactly("OUTPUT1", "OUTPUT0");
      float[] difference = outputs.get(0).toFloats();
      float[] sum = outputs.get(1).toFloats();
      for (int i = 0; i < a.length; i++) {
        assertThat(sum[i]).isEqualTo(a[i] + b[i]);
        assertThat(difference[i]).isEqualTo(a[i] - b[i]);
      }
    }
  }

  @Test
  void emptyOutputListReturnsEveryOutputInModelOrder() {
    long[] shape = {1, DemoModels.ADD_SUB_WIDTH};
    float[] ones = new float[DemoModels.ADD_SUB_WIDTH];
    java.util.Arrays.fill(ones, 1f);
    try (OrtModelRunner runner = open(DemoModels.ADD_SUB)) {
      List<Tensor> outputs =
          runner.run(
              Map.of(
                  "INPUT0",
                  Tensor.ofFloats("INPUT0", shape, ones),
                  "INPUT1",
                  Tensor.ofFloats("INPUT1", shape, ones)),
              List.of());

      assertThat(outputs).extracting(Tensor::name).containsExactly("OUTPUT0", "OUTPUT1");
      assertThat(outputs.get(0).toFloats()).containsOnly(2f);
      assertThat(outputs.get(1).toFloats()).containsOnly(0f);
    }
  }

  @Test
  void generationWritesIdenticalBytesEveryTime(@TempDir Path other) throws IOException {
    DemoModels.writeRepository(other, true);

    List<Path> files = listFiles(repo);
    assertThat(files).hasSize(DemoModels.DEMO_MODELS.size() * 2);
    assertThat(listFiles(other)).isEqualTo(files);
    for (Path file : files) {
      assertThat(Files.mismatch(repo.resolve(file), other.resolve(file)))
          .as("%s", file)
          .isEqualTo(-1L);
    }
  }

  @Test
  void configParsesAsTritonTextFormatWithBatchingAndCpuInstances() throws IOException {
    ModelConfig.Builder parsed = ModelConfig.newBuilder();
    TextFormat.merge(Files.readString(repo.resolve("wide_mlp/config.pbtxt")), parsed);

    ModelConfig config = parsed.build();
    assertThat(config.getName()).isEqualTo("wide_mlp");
    assertThat(config.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(config.getMaxBatchSize()).isEqualTo(64);
    assertThat(config.getInput(0).getName()).isEqualTo("input");
    assertThat(config.getInput(0).getDimsList()).containsExactly(28L);
    assertThat(config.getOutput(0).getDimsList()).containsExactly(1L);
    assertThat(config.getInstanceGroup(0).getKind()).isEqualTo(ModelInstanceGroup.Kind.KIND_CPU);
    assertThat(config.getInstanceGroup(0).getCount()).isEqualTo(1);
    assertThat(config.getDynamicBatching().getPreferredBatchSizeList()).containsExactly(64);
    assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(0L);
    assertThat(DemoModels.config("wide_mlp", false).hasDynamicBatching()).isFalse();
  }

  private static OrtModelRunner open(String name) {
    OrtModelRunner runner =
        OrtModelRunner.open(
            name, repo.resolve(name).resolve("1/model.onnx"), OrtRunnerOptions.defaults());
    assertThat(runner.kind()).isIn("onnxruntime-cpu", "onnxruntime-cuda");
    return runner;
  }

  static float[] gaussianRows(int rows, int width, long seed) {
    Random random = new Random(seed);
    float[] values = new float[rows * width];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static List<Path> listFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
