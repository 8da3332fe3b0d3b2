package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.Fp32Raw;
import dev.yardmaster.router.testsupport.Http11;
import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Triton's classification extension on both protocols, against the demo models on real ONNX
 * Runtime: each answer equals a top-k the test computes from the unclassified output, and bad
 * parameters are INVALID_ARGUMENT / 400 naming the output.
 */
class ClassificationTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int ROWS = 3;
  static final int WIDTH = DemoModels.ADD_SUB_WIDTH;

  @TempDir static Path repository;
  static YardmasterServer server;
  static ManagedChannel channel;
  static GRPCInferenceServiceBlockingStub stub;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = RepositoryServers.serveDemoAndIdentityModels(repository);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    http = Http11.client();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  /** Scores in quarters (exact in binary and in six decimals), with ties inside each row. */
  static float[] scores() {
    float[] values = new float[ROWS * WIDTH];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((i * 7) % 11) * 0.25f - 1f;
    }
    return values;
  }

  /** The top k of each row as Triton prints them, computed here from the plain output. */
  static List<String> expectedTopK(float[] values, int rows, int k) {
    int width = values.length / rows;
    List<String> classes = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      int first = row * width;
      IntStream.range(0, width).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> values[first + i]).reversed())
          .limit(k)
          .forEach(i -> classes.add(String.format(Locale.ROOT, "%.6f:%d", values[first + i], i)));
    }
    return classes;
  }

  static ModelInferRequest.Builder addSub(float[] a) {
    return ModelInferRequest.newBuilder().setModelName(DemoModels.ADD_SUB)
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("FP32").addShape(ROWS).addShape(WIDTH))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT1").setDatatype("FP32").addShape(ROWS).addShape(WIDTH))
        .addRawInputContents(Fp32Raw.bytes(a)).addRawInputContents(Fp32Raw.bytes(new float[a.length]));
  }

  static InferRequestedOutputTensor classified(String name, InferParameter count) {
    return InferRequestedOutputTensor.newBuilder().setName(name).putParameters("classification", count).build();
  }

  static InferParameter int64(long value) {
    return InferParameter.newBuilder().setInt64Param(value).build();
  }


  static List<String> strings(byte[] raw) {
    ByteBuffer data = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    List<String> values = new ArrayList<>();
    while (data.hasRemaining()) {
      byte[] element = new byte[data.getInt()];
      data.get(element);
      values.add(new String(element, StandardCharsets.UTF_8));
    }
    return values;
  }

  @Test
  void grpcAnswersTheTopClassesOfEachBatchRow() {
    float[] scores = scores();
    ModelInferResponse plain = stub.modelInfer(addSub(scores)
        .addOutputs(InferRequestedOutputTensor.newBuilder().setName("OUTPUT0")).build());
    float[] computed = Fp32Raw.floats(plain.getRawOutputContents(0));
    assertThat(computed).containsExactly(scores);

    ModelInferResponse answer = stub.modelInfer(addSub(scores)
        .addOutputs(classified("OUTPUT0", int64(4)))
        .addOutputs(InferRequestedOutputTensor.newBuilder().setName("OUTPUT1")).build());

    ModelInferResponse.InferOutputTensor classes = answer.getOutputs(0);
    assertThat(classes.getDatatype()).isEqualTo("BYTES");
    assertThat(classes.getShapeList()).containsExactly((long) ROWS, 4L);
    assertThat(strings(answer.getRawOutputContents(0).toByteArray())).containsExactlyElementsOf(
        expectedTopK(computed, ROWS, 4));
    assertThat(answer.getOutputs(1).getDatatype()).as("an output without the parameter").isEqualTo("FP32");
    assertThat(Fp32Raw.floats(answer.getRawOutputContents(1))).containsExactly(scores);
  }

  @Test
  void grpcTypedContentsGetTheClassesAsRawBytes() {
    float[] scores = scores();
    InferTensorContents.Builder a = InferTensorContents.newBuilder();
    for (float value : scores) {
      a.addFp32Contents(value);
    }
    InferTensorContents.Builder zeros = InferTensorContents.newBuilder();
    for (int i = 0; i < scores.length; i++) {
      zeros.addFp32Contents(0);
    }
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(DemoModels.ADD_SUB)
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("FP32").addShape(ROWS)
            .addShape(WIDTH).setContents(a))
        .addInputs(InferInputTensor.newBuilder().setName("INPUT1").setDatatype("FP32").addShape(ROWS)
            .addShape(WIDTH).setContents(zeros))
        .addOutputs(classified("OUTPUT0", int64(2)))
        .build();

    ModelInferResponse answer = stub.modelInfer(request);

    // answered raw whatever form the inputs took, as Triton's gRPC front end answers
    assertThat(answer.getOutputs(0).hasContents()).isFalse();
    assertThat(strings(answer.getRawOutputContents(0).toByteArray()))
        .containsExactlyElementsOf(expectedTopK(scores, ROWS, 2));
  }

  @Test
  void aNonBatchingModelIsOneRowAndKIsCappedAtItsElementCount() {
    ByteBuffer values = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int value : new int[] {3, -7, 12, 3, 0, 9}) {
      values.putInt(value);
    }
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("identity_int32")
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("INT32").addShape(2).addShape(3))
        .addRawInputContents(ByteString.copyFrom(values.array()))
        .addOutputs(classified("OUTPUT0", int64(100)))
        .build();

    ModelInferResponse answer = stub.modelInfer(request);

    assertThat(answer.getOutputs(0).getShapeList()).containsExactly(6L);
    assertThat(strings(answer.getRawOutputContents(0).toByteArray()))
        .containsExactly("12:2", "9:5", "3:0", "3:3", "0:4", "-7:1");
  }

  static ObjectNode httpBody(float[] scores, ObjectNode... outputs) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode inputs = body.putArray("inputs");
    for (String name : new String[] {"INPUT0", "INPUT1"}) {
      ObjectNode input = inputs.addObject().put("name", name).put("datatype", "FP32");
      input.putArray("shape").add(ROWS).add(WIDTH);
      ArrayNode data = input.putArray("data");
      for (float value : scores) {
        data.add(name.equals("INPUT0") ? value : 0f);
      }
    }
    body.putArray("outputs").addAll(Arrays.asList(outputs));
    return body;
  }

  static ObjectNode httpOutput(String name, Object classification, Boolean binaryData) {
    ObjectNode output = JSON.createObjectNode().put("name", name);
    ObjectNode parameters = output.putObject("parameters");
    parameters.set("classification", JSON.valueToTree(classification));
    if (binaryData != null) {
      parameters.put("binary_data", binaryData);
    }
    return output;
  }

  static HttpResponse<byte[]> post(String model, ObjectNode body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/"
                + model + "/infer"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void httpAnswersTheSameClassesAsJsonAndAsBinaryData() throws Exception {
    float[] scores = scores();
    List<String> expected = expectedTopK(scores, ROWS, 3);

    HttpResponse<byte[]> asJson = post(DemoModels.ADD_SUB, httpBody(scores, httpOutput("OUTPUT0", 3, null)));
    assertThat(asJson.statusCode()).as(new String(asJson.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    JsonNode output = JSON.readTree(asJson.body()).get("outputs").get(0);
    assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
    assertThat(output.get("shape").toString()).isEqualTo("[3,3]");
    assertThat(output.get("data")).extracting(JsonNode::asText).containsExactlyElementsOf(expected);

    HttpResponse<byte[]> binary = post(DemoModels.ADD_SUB, httpBody(scores, httpOutput("OUTPUT0", 3, true)));
    BinaryInferBody.Response parsed = BinaryInferBody.Response.parse(binary.body(),
        binary.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    assertThat(parsed.output("OUTPUT0").get("datatype").asText()).isEqualTo("BYTES");
    assertThat(strings(parsed.binaryOutputs().get("OUTPUT0"))).containsExactlyElementsOf(expected);
  }

  @Test
  void serverMetadataListsTheExtension() throws Exception {
    HttpResponse<byte[]> metadata = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/v2")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(JSON.readTree(metadata.body()).get("extensions").toString()).contains("\"classification\"");
  }

  static Stream<Arguments> badGrpcParameters() {
    return Stream.of(
        Arguments.of(int64(0), "output 'OUTPUT0' parameters.classification: 0 (expected: an integer > 0"),
        Arguments.of(int64(-3), "output 'OUTPUT0' parameters.classification: -3 (expected: an integer > 0"),
        Arguments.of(InferParameter.newBuilder().setUint64Param(3).build(),
            "output 'OUTPUT0' parameters.classification: UINT64_PARAM (expected: an int64_param > 0"),
        Arguments.of(InferParameter.newBuilder().setStringParam("3").build(),
            "output 'OUTPUT0' parameters.classification: STRING_PARAM (expected: an int64_param > 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGrpcParameters")
  void grpcBadParametersAreInvalidArgumentNamingTheOutput(InferParameter parameter, String message) {
    ModelInferRequest request = addSub(scores()).addOutputs(classified("OUTPUT0", parameter)).build();

    assertThatThrownBy(() -> stub.modelInfer(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
          assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(error.getStatus().getDescription()).startsWith(message);
        });
    assertThat(stub.modelInfer(addSub(scores()).build()).getOutputsCount()).isEqualTo(2);
  }

  @Test
  void outputsWithoutNumbersAreInvalidArgumentOnBothProtocols() throws Exception {
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("identity_bool")
        .addInputs(InferInputTensor.newBuilder().setName("INPUT0").setDatatype("BOOL").addShape(1).addShape(2))
        .addRawInputContents(ByteString.copyFrom(new byte[] {1, 0}))
        .addOutputs(classified("OUTPUT0", int64(1)))
        .build();
    assertThatThrownBy(() -> stub.modelInfer(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
          assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(error.getStatus().getDescription())
              .startsWith("output 'OUTPUT0' parameters.classification: datatype BOOL has no classes");
        });

    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject().put("name", "INPUT0").put("datatype", "BOOL");
    input.putArray("shape").add(1).add(2);
    input.putArray("data").add(true).add(false);
    body.putArray("outputs").add(httpOutput("OUTPUT0", 1, null));
    HttpResponse<byte[]> response = post("identity_bool", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText())
        .startsWith("output 'OUTPUT0' parameters.classification: datatype BOOL has no classes");
  }

  static Stream<Arguments> badHttpParameters() {
    return Stream.of(
        Arguments.of(0, "output 'OUTPUT0' parameters.classification: 0 (expected: an integer > 0"),
        Arguments.of(-1, "output 'OUTPUT0' parameters.classification: -1 (expected: an integer > 0"),
        Arguments.of(2.5, "output 'OUTPUT0' parameters.classification: 2.5 (expected: an integer > 0"),
        Arguments.of("3", "output 'OUTPUT0' parameters.classification: 3 (expected: an integer > 0"),
        Arguments.of(true, "output 'OUTPUT0' parameters.classification: true (expected: an integer > 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHttpParameters")
  void httpBadParametersAre400NamingTheOutput(Object classification, String message) throws Exception {
    HttpResponse<byte[]> response = post(DemoModels.ADD_SUB, httpBody(scores(), httpOutput("OUTPUT0", classification,
        null)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).startsWith(message);
    assertThat(post(DemoModels.ADD_SUB, httpBody(scores(), httpOutput("OUTPUT0", 1, null))).statusCode())
        .isEqualTo(200);
  }
}
