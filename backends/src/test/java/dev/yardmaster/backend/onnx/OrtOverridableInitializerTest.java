package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run may give an initializer that is also a graph input, as Triton's onnxruntime backend passes
 * such an input to ONNX Runtime ({@code qa/L0_initializer_as_input}); without it the stored value
 * is used. ONNX Runtime's Java API refuses such inputs, so the runner serves them from a session of
 * the model without that initializer.
 */
class OrtOverridableInitializerTest {

  private static final long[] DIMS = DemoModels.ADD_WITH_INITIALIZER_DIMS;

  @TempDir Path directory;

  @Test
  void aRunGivesTheInitializerOrLeavesItAtItsStoredValue() throws Exception {
    Path file = directory.resolve("model.onnx");
    OnnxGraphBuilder.write(DemoModels.model(DemoModels.ADD_WITH_INITIALIZER), file);

    try (OrtModelRunner runner = OrtModelRunner.open("m", file, OrtRunnerOptions.defaults())) {
      assertThat(runner.inputNames()).containsExactly("INPUT");
      assertThat(output(runner, null)).containsOnly(1f);
      assertThat(output(runner, 5f)).containsOnly(5f);
      assertThat(output(runner, null)).as("the stored value again").containsOnly(1f);
    }
  }

  // the session without the initializer comes from the model's bytes: its other weights, kept as
  // external data, are still read beside the model file
  @Test
  void aModelWithExternalDataServesOverrides() throws Exception {
    float[] twos = new float[25];
    Arrays.fill(twos, 2f);
    ModelProto withWeight = OnnxGraphBuilder.graph("external")
        .input("INPUT", TensorProto.DataType.FLOAT, DIMS)
        .input("INITIALIZER", TensorProto.DataType.FLOAT, DIMS)
        .output("OUTPUT", TensorProto.DataType.FLOAT, DIMS)
        .floatInitializer("INITIALIZER", DIMS, ones())
        .floatInitializer("WEIGHT", DIMS, twos)
        .add("INPUT", "INITIALIZER", "SUM")
        .add("SUM", "WEIGHT", "OUTPUT")
        .build();
    Path file = directory.resolve("1").resolve("model.onnx");
    OnnxExternalData.write(withWeight, file, "model.onnx.data");

    try (OrtModelRunner runner = OrtModelRunner.open("m", file, OrtRunnerOptions.defaults())) {
      assertThat(output(runner, null)).containsOnly(3f);
      assertThat(output(runner, 5f)).containsOnly(7f);
    }
  }

  /** OUTPUT for INPUT of zeros and, unless null, INITIALIZER filled with {@code initializer}. */
  private static float[] output(OrtModelRunner runner, @Nullable Float initializer) {
    Tensor input = Tensor.ofFloats("INPUT", DIMS, new float[25]);
    Map<String, Tensor> inputs = initializer == null ? Map.of("INPUT", input)
        : Map.of("INPUT", input, "INITIALIZER", Tensor.ofFloats("INITIALIZER", DIMS, filled(initializer)));
    Tensor output = runner.run(inputs, List.of("OUTPUT")).get(0);
    FloatBuffer floats = output.data().asFloatBuffer();
    float[] values = new float[floats.remaining()];
    floats.get(values);
    return values;
  }

  private static float[] ones() {
    return filled(1f);
  }

  private static float[] filled(float value) {
    float[] values = new float[25];
    Arrays.fill(values, value);
    return values;
  }
}
