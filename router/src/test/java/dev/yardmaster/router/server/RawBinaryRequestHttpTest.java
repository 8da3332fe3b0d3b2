package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.JSON;
import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static dev.yardmaster.router.server.BinaryInferBody.toFloats;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OnnxGraphBuilder;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RepositoryServers;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's raw binary request over real HTTP and ONNX Runtime: {@code Inference-Header-Content-Length:
 * 0} and a body that is the one input's data, its shape deduced from the config as Triton's
 * {@code InferenceRequest::Normalize} does; the answer is binary tensor data. The cases mirror
 * Triton's own {@code L0_http} tests (a one-input float model, a one-element BYTES model, a model
 * with two variable-sized dims, a model with several inputs).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawBinaryRequestHttpTest {

  private static final String HEADER_LENGTH = BinaryTensorDataHttpTest.HEADER_LENGTH;
  /** Identity of FP32, batching, dims [-1]: one variable-sized dim after the batch. */
  private static final String FLOATS = "raw_fp32";
  /** Identity of BYTES, batching, dims [1]: one element per row. */
  private static final String ONE_STRING = "raw_bytes";
  /** Identity of BYTES, batching, dims [2]. */
  private static final String TWO_STRINGS = "raw_bytes_2";
  /** Identity of FP32 without batching, dims [-1, -1]. */
  private static final String TWO_VARIABLE = DemoModels.identityModelName(DataType.FP32);

  @TempDir static Path repository;
  static YardmasterServer server;

  @BeforeAll
  static void start() throws IOException {
    for (String name : new String[] {DemoModels.HIGGS_MLP_V1, DemoModels.ADD_SUB}) {
      write(name, DemoModels.model(name).toByteArray(), DemoModels.config(name, true));
    }
    write(TWO_VARIABLE, DemoModels.model(TWO_VARIABLE).toByteArray(), DemoModels.identityConfig(DataType.FP32));
    write(FLOATS, identity(DataType.FP32), batchedIdentity(FLOATS, "TYPE_FP32", "-1"));
    write(ONE_STRING, identity(DataType.BYTES), batchedIdentity(ONE_STRING, "TYPE_STRING", "1"));
    write(TWO_STRINGS, identity(DataType.BYTES), batchedIdentity(TWO_STRINGS, "TYPE_STRING", "2"));
    server = RepositoryServers.serveAll(repository);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void aFloatBodyIsTheOneInputWithItsVariableDimDeducedAndComesBackAsBinary() throws Exception {
    byte[] body = floats(0, 1, 2, 3, 4, 5, 6, 7);

    Response answer = parse(postRaw(FLOATS, body));

    assertThat(answer.binaryOutputs().get("OUTPUT0")).isEqualTo(body);
    assertThat(answer.output("OUTPUT0").get("shape").toString()).isEqualTo("[1,8]");
    assertThat(answer.output("OUTPUT0").get("datatype").asText()).isEqualTo("FP32");
    byte[] longer = floats(new float[32]);
    assertThat(parse(postRaw(FLOATS, longer)).binaryOutputs().get("OUTPUT0")).isEqualTo(longer);
  }

  @Test
  void aRawRowOfHiggsAnswersAsTheJsonRequestDoes() throws Exception {
    float[] row = new float[DemoModels.HIGGS_FEATURES];
    for (int i = 0; i < row.length; i++) {
      row[i] = (i - 14) * 0.125f;
    }
    String json = "{\"inputs\":[{\"name\":\"" + DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName()
        + "\",\"shape\":[1," + row.length + "],\"datatype\":\"FP32\",\"data\":" + JSON.writeValueAsString(row) + "}]}";
    Response reference = parse(post(DemoModels.HIGGS_MLP_V1, json.getBytes(StandardCharsets.UTF_8)));
    String output = DemoModels.mlp(DemoModels.HIGGS_MLP_V1).outputName();

    Response answer = parse(postRaw(DemoModels.HIGGS_MLP_V1, floats(row)));

    float[] expected = new float[] {(float) reference.output(output).get("data").get(0).asDouble()};
    assertThat(toFloats(answer.binaryOutputs().get(output))).containsExactly(expected);
    assertThat(answer.output(output).get("shape").toString()).isEqualTo("[1,1]");
  }

  @Test
  void aBytesBodyIsTheOneElementOfABytesInputOfDimsOne() throws Exception {
    Response answer = parse(postRaw(ONE_STRING, "427".getBytes(StandardCharsets.UTF_8)));

    byte[] element = answer.binaryOutputs().get("OUTPUT0");
    assertThat(ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(3);
    assertThat(new String(element, Integer.BYTES, 3, StandardCharsets.UTF_8)).isEqualTo("427");
    assertThat(answer.output("OUTPUT0").get("shape").toString()).isEqualTo("[1,1]");
  }

  @Test
  void shapesThatCannotBeDeducedAre400AndTheServerKeepsServing() throws Exception {
    assertRefused(TWO_VARIABLE, floats(1, 2, 3, 4), "raw binary request: the shape of input 'INPUT0' cannot be "
        + "deduced from dims [-1, -1], which have more than one variable-sized dimension");
    assertRefused(DemoModels.ADD_SUB, floats(new float[32]), "raw binary request (Inference-Header-Content-Length:"
        + " 0) to model 'add_sub' with 2 inputs (expected: a model with exactly 1 input");
    assertRefused(TWO_STRINGS, "ab".getBytes(StandardCharsets.UTF_8),
        "raw binary request: BYTES input 'INPUT0' has dims [2] (expected: dims [1]");
  }

  @Test
  void bodiesThatDoNotFillTheShapeAre400() throws Exception {
    assertRefused(DemoModels.HIGGS_MLP_V1, floats(new float[27]), "raw binary request: body of 108 bytes for "
        + "input '" + DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName() + "' FP32 shape [1, 28] (expected: 112"
        + " bytes)");
    assertRefused(FLOATS, new byte[6], "raw binary request: body of 6 bytes for input 'INPUT0' FP32 shape "
        + "[1, -1] (expected: a multiple of 4 bytes)");
    assertRefused(FLOATS, new byte[0], "raw binary request (Inference-Header-Content-Length: 0): empty body "
        + "(expected: the data of input 'INPUT0', FP32)");
  }

  @Test
  void anUnknownModelIs404() throws Exception {
    HttpResponse<byte[]> response = postRaw("no_such_model", floats(1));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(BinaryTensorDataHttpTest.error(response)).contains("no_such_model");
  }

  private static void assertRefused(String model, byte[] body, String message) throws Exception {
    HttpResponse<byte[]> response = postRaw(model, body);

    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(400);
    assertThat(BinaryTensorDataHttpTest.error(response)).contains(message);
    assertThat(parse(postRaw(FLOATS, floats(9))).binaryOutputs().get("OUTPUT0")).as("served after")
        .isEqualTo(floats(9));
  }

  private static HttpResponse<byte[]> postRaw(String model, byte[] body) throws Exception {
    return post(model, body, HEADER_LENGTH, "0", "Content-Type", "application/octet-stream");
  }

  private static HttpResponse<byte[]> post(String model, byte[] body, String... headers) throws Exception {
    return new LocalHttp(server.httpPort()).post("/v2/models/" + model + "/infer", body, headers);
  }


  private static Response parse(HttpResponse<byte[]> response) throws IOException {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Response.parse(response.body(), response.headers().firstValue(HEADER_LENGTH).orElse(null));
  }

  private static byte[] identity(DataType type) {
    return DemoModels.model(DemoModels.identityModelName(type)).toByteArray();
  }

  /** An identity config that batches (max 8), one input and output of {@code dims}. */
  private static ModelConfig batchedIdentity(String name, String type, String dims) throws IOException {
    return TextFormat.parse("""
        name: "%s"
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: %s dims: [ %s ] } ]
        output [ { name: "OUTPUT0" data_type: %s dims: [ %s ] } ]
        """.formatted(name, type, dims, type, dims), ModelConfig.class);
  }

  private static void write(String name, byte[] onnx, ModelConfig config) throws IOException {
    Path version = Files.createDirectories(repository.resolve(name).resolve("1"));
    Files.write(version.resolve("model.onnx"), onnx);
    Files.writeString(repository.resolve(name).resolve("config.pbtxt"),
        TextFormat.printer().printToString(config.toBuilder().setName(name).build()), StandardCharsets.UTF_8);
  }
}
