package dev.yardmaster.backend.onnx;

import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A fully connected network with ReLU hidden layers and a sigmoid output, with its weights: the
 * single source for both the ONNX model and a plain-Java reference forward pass that tests compare
 * ONNX Runtime against.
 *
 * @param name model name
 * @param inputName the graph input, shape {@code [batch, layers[0].inputs]}
 * @param outputName the graph output, shape {@code [batch, last.outputs]}
 * @param layers the layers in order; the last one ends in a sigmoid, the others in a ReLU
 */
public record MlpSpec(String name, String inputName, String outputName, List<Layer> layers) {

  /**
   * One dense layer {@code y = x W + b}.
   *
   * @param inputs fan-in
   * @param outputs fan-out
   * @param weights row-major {@code [inputs][outputs]}, the layout MatMul expects for {@code x W}
   * @param bias {@code [outputs]}
   */
  public record Layer(int inputs, int outputs, float[] weights, float[] bias) {
    public Layer {
      if (weights.length != inputs * outputs || bias.length != outputs) {
        throw new IllegalArgumentException(
            "layer weights/bias: "
                + weights.length
                + "/"
                + bias.length
                + " (expected: "
                + inputs * outputs
                + "/"
                + outputs
                + ")");
      }
    }
  }

  public MlpSpec {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("mlp '" + name + "' layers: 0 (expected: >= 1)");
    }
  }

  /**
   * A network with seeded weights: He scaling (sqrt(2 / fan-in)) before each ReLU keeps the
   * activations' variance roughly constant with depth, and Xavier scaling (sqrt(1 / fan-in)) on the
   * last layer keeps the sigmoid's input near unit variance, so outputs spread over (0, 1) instead
   * of saturating. {@link Random#nextGaussian()} is specified exactly, so the weights are the same
   * on every JVM.
   */
  public static MlpSpec seeded(String name, long seed, int... sizes) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException(
          "mlp '" + name + "' sizes: " + sizes.length + " (expected: >= 2)");
    }
    Random random = new Random(seed);
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i + 1 < sizes.length; i++) {
      int fanIn = sizes[i];
      int fanOut = sizes[i + 1];
      boolean last = i + 2 == sizes.length;
      double scale = Math.sqrt((last ? 1.0 : 2.0) / fanIn);
      float[] weights = new float[fanIn * fanOut];
      for (int w = 0; w < weights.length; w++) {
        weights[w] = (float) (random.nextGaussian() * scale);
      }
      float[] bias = new float[fanOut];
      for (int b = 0; b < bias.length; b++) {
        bias[b] = (float) ((random.nextDouble() - 0.5) * 0.2);
      }
      layers.add(new Layer(fanIn, fanOut, weights, bias));
    }
    return new MlpSpec(name, "input", "output", layers);
  }

  public int inputWidth() {
    return layers.get(0).inputs();
  }

  public int outputWidth() {
    return layers.get(layers.size() - 1).outputs();
  }

  /** The reference forward pass for one row, accumulating in double. */
  public float[] forward(float[] row) {
    if (row.length != inputWidth()) {
      throw new IllegalArgumentException(
          "mlp '" + name + "' row length: " + row.length + " (expected: " + inputWidth() + ")");
    }
    float[] activations = row;
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      boolean last = l + 1 == layers.size();
      double[] sums = new double[layer.outputs()];
      for (int o = 0; o < sums.length; o++) {
        sums[o] = layer.bias()[o];
      }
      // i-outer, o-inner walks the row-major weights sequentially
      for (int i = 0; i < layer.inputs(); i++) {
        double x = activations[i];
        int base = i * layer.outputs();
        for (int o = 0; o < sums.length; o++) {
          sums[o] += x * layer.weights()[base + o];
        }
      }
      float[] next = new float[sums.length];
      for (int o = 0; o < sums.length; o++) {
        next[o] = (float) (last ? 1.0 / (1.0 + Math.exp(-sums[o])) : Math.max(0.0, sums[o]));
      }
      activations = next;
    }
    return activations;
  }

  /** The reference forward pass for {@code rows} rows stored row-major in {@code batch}. */
  public float[] forwardBatch(float[] batch, int rows) {
    float[] out = new float[rows * outputWidth()];
    float[] row = new float[inputWidth()];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(batch, r * row.length, row, 0, row.length);
      System.arraycopy(forward(row), 0, out, r * outputWidth(), outputWidth());
    }
    return out;
  }

  /** The ONNX model: MatMul, Add and Relu per hidden layer, then MatMul, Add and Sigmoid. */
  public ModelProto toModel() {
    OnnxGraphBuilder graph =
        OnnxGraphBuilder.graph(name)
            .input(inputName, TensorProto.DataType.FLOAT, -1, inputWidth())
            .output(outputName, TensorProto.DataType.FLOAT, -1, outputWidth());
    String current = inputName;
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      boolean last = l + 1 == layers.size();
      String weights = "W" + l;
      String bias = "B" + l;
      graph.floatInitializer(
          weights, new long[] {layer.inputs(), layer.outputs()}, layer.weights());
      graph.floatInitializer(bias, new long[] {layer.outputs()}, layer.bias());
      graph.matMul(current, weights, "matmul" + l);
      graph.add("matmul" + l, bias, "dense" + l);
      String activated = last ? outputName : "relu" + l;
      if (last) {
        graph.sigmoid("dense" + l, activated);
      } else {
        graph.relu("dense" + l, activated);
      }
      current = activated;
    }
    return graph.build();
  }
}
