package dev.yardmaster.router.server.repository;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.RepositoryServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository of the demo {@code add_sub} model (under its own name and as {@code spare}) served
 * on real ONNX Runtime, and requests for it.
 */
final class AddSubRepository {

  static final String MODEL = DemoModels.ADD_SUB;
  static final String SPARE = "spare";
  static final int WIDTH = DemoModels.ADD_SUB_WIDTH;

  private AddSubRepository() {}

  /** Writes {@code add_sub} and {@code spare} with their demo config (max_batch_size 64). */
  static Path write(Path repository) throws IOException {
    for (String name : new String[] {MODEL, SPARE}) {
      writeModel(repository, name, DemoModels.config(MODEL, true).toBuilder().setName(name).build());
    }
    return repository;
  }

  static void writeModel(Path repository, String name, ModelConfig config) throws IOException {
    Path modelDir = repository.resolve(name);
    OnnxGraphBuilder.write(DemoModels.model(MODEL), modelDir.resolve("1").resolve("model.onnx"));
    Files.writeString(modelDir.resolve("config.pbtxt"), TextFormat.printer().printToString(config),
        StandardCharsets.UTF_8);
  }

  /** A server that loads only {@code add_sub} at start ({@code spare} stays unloaded). */
  static YardmasterServer serve(Path repository) {
    return serve(repository, RepositoryOptions.loadOnly(MODEL));
  }

  /** A server of the repository on ONNX Runtime, ports picked, no drain on stop. */
  static YardmasterServer serve(Path repository, RepositoryOptions options) {
    return RepositoryServers.serve(repository, options);
  }

  /** {@code rows} rows of both inputs, all ones. */
  static ModelInferRequest request(int rows) {
    byte[] ones = new byte[rows * WIDTH * 4];
    java.nio.ByteBuffer.wrap(ones).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
        .put(filled(rows * WIDTH));
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(MODEL);
    for (String input : new String[] {"INPUT0", "INPUT1"}) {
      request.addInputs(InferInputTensor.newBuilder().setName(input).setDatatype("FP32").addShape(rows)
          .addShape(WIDTH));
      request.addRawInputContents(ByteString.copyFrom(ones));
    }
    return request.build();
  }

  /** The HTTP/JSON infer body of {@code rows} rows of ones. */
  static String jsonRequest(int rows) {
    String data = String.join(",", java.util.Collections.nCopies(rows * WIDTH, "1"));
    return "{\"inputs\":["
        + "{\"name\":\"INPUT0\",\"shape\":[" + rows + "," + WIDTH + "],\"datatype\":\"FP32\",\"data\":[" + data + "]},"
        + "{\"name\":\"INPUT1\",\"shape\":[" + rows + "," + WIDTH + "],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}";
  }

  private static float[] filled(int count) {
    float[] values = new float[count];
    java.util.Arrays.fill(values, 1f);
    return values;
  }
}
