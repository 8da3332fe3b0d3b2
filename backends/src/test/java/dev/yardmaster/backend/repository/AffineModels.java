package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.onnx.proto.ModelProto;
import dev.yardmaster.onnx.proto.TensorProto;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model with weights, {@code y = x W + b} for FP32 {@code x} of [batch, 4], built from a seed so
 * that two seeds give two sets of weights of the same size: what external data files hold.
 */
final class AffineModels {

  static final int WIDTH = 4;
  /** The external data file's name in these tests. */
  static final String WEIGHTS_FILE = "weights.bin";
  /** One row of input, its values distinct so every weight shows in the output. */
  static final float[] INPUT = {1f, -2f, 0.5f, 3f};

  private AffineModels() {}

  /** A manager serving every model of {@code repository} on ONNX Runtime. */
  static RepositoryModelManager serve(Path repository) {
    return new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(), Schedulers.factory(),
        RepositoryOptions.loadAllModels());
  }

  /** Creates {@code repository/model/1} and returns it. */
  static Path versionOne(Path repository, String model) throws IOException {
    return Files.createDirectories(repository.resolve(model).resolve("1"));
  }

  /** The weights (row-major [4, 4]) then the bias ([4]) of {@code seed}. */
  static float[] parameters(int seed) {
    float[] parameters = new float[WIDTH * WIDTH + WIDTH];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = seed * 0.5f + (i % 7) * 0.25f - (i % 3);
    }
    return parameters;
  }

  /** The ONNX model of {@code seed}, its initializers embedded as {@code raw_data}. */
  static ModelProto model(int seed) {
    float[] parameters = parameters(seed);
    float[] weights = java.util.Arrays.copyOf(parameters, WIDTH * WIDTH);
    float[] bias = java.util.Arrays.copyOfRange(parameters, WIDTH * WIDTH, parameters.length);
    return OnnxGraphBuilder.graph("affine")
        .input("x", TensorProto.DataType.FLOAT, -1, WIDTH)
        .output("y", TensorProto.DataType.FLOAT, -1, WIDTH)
        .floatInitializer("w", new long[] {WIDTH, WIDTH}, weights)
        .floatInitializer("b", new long[] {WIDTH}, bias)
        .matMul("x", "w", "xw")
        .add("xw", "b", "y")
        .build();
  }

  /** The little-endian bytes {@link dev.yardmaster.backend.onnx.OnnxExternalData} writes for {@code seed}. */
  static byte[] externalData(int seed) {
    float[] parameters = parameters(seed);
    ByteBuffer data = ByteBuffer.allocate(parameters.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(parameters);
    return data.array();
  }

  /** {@link #INPUT} times the weights of {@code seed}, plus its bias, computed in Java. */
  static float[] expected(int seed) {
    float[] parameters = parameters(seed);
    float[] y = new float[WIDTH];
    for (int j = 0; j < WIDTH; j++) {
      float sum = parameters[WIDTH * WIDTH + j];
      for (int i = 0; i < WIDTH; i++) {
        sum += INPUT[i] * parameters[i * WIDTH + j];
      }
      y[j] = sum;
    }
    return y;
  }

  /** Runs {@link #INPUT} on the served model {@code name} and returns {@code y}. */
  static float[] infer(RepositoryModelManager manager, String name) throws Exception {
    InferResponse response = manager.resolve(name, "").infer(InferRequest.of(name, "",
        List.of(Tensor.ofFloats("x", new long[] {1, WIDTH}, INPUT)))).get(30, TimeUnit.SECONDS);
    return response.outputs().get(0).toFloats();
  }
}
