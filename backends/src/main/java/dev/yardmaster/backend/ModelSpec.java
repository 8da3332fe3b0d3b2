package dev.yardmaster.backend;

import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the server needs to know about one loaded model version: its normalized config and the
 * tensors derived from it.
 *
 * @param name model name
 * @param version version label, e.g. "1"
 * @param platform e.g. {@code onnxruntime_onnx}
 * @param maxBatchSize 0 when the model does not batch (no batch dimension)
 * @param inputs declared inputs
 * @param outputs declared outputs
 * @param config the normalized config, as the ModelConfig RPC returns it
 */
public record ModelSpec(
    String name,
    String version,
    String platform,
    int maxBatchSize,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    ModelConfig config) {

  public ModelSpec {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public boolean batched() {
    return maxBatchSize > 0;
  }

  public @Nullable TensorSpec input(String inputName) {
    for (TensorSpec spec : inputs) {
      if (spec.name().equals(inputName)) {
        return spec;
      }
    }
    return null;
  }

  public @Nullable TensorSpec output(String outputName) {
    for (TensorSpec spec : outputs) {
      if (spec.name().equals(outputName)) {
        return spec;
      }
    }
    return null;
  }
}
