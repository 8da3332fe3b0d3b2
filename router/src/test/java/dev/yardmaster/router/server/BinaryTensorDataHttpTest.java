package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.JSON;
import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static dev.yardmaster.router.server.BinaryInferBody.strings;
import static dev.yardmaster.router.server.BinaryInferBody.toFloats;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.LocalHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Triton's binary tensor data extension on the HTTP port, with bodies built as tritonclient.http
 * builds them: binary inputs after the JSON header, binary outputs on request, and the answers
 * equal to the JSON path's.
 */
class BinaryTensorDataHttpTest {

  static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  static final float[] ONES = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  static final float[] COUNTING = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static final long[] ROW_OF_16 = {1, 16};

  static YardmasterServer server;

  @BeforeAll
  static void start() {
    server = YardmasterServer.builder(FakeModelManager.standard()).httpPort(0).grpcPort(0).metricsPort(0)
        .build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<byte[]> post(String model, byte[] body, String... headers)
      throws IOException, InterruptedException {
    return new LocalHttp(server.httpPort()).post("/v2/models/" + model + "/infer", body, headers);
  }


  /** Posts as tritonclient.http does when some input is binary. */
  static HttpResponse<byte[]> postBinary(String model, BinaryInferBody body) throws Exception {
    return post(model, body.body(), HEADER_LENGTH, Integer.toString(body.json().length),
        "Content-Type", "application/octet-stream");
  }

  static Response parse(HttpResponse<byte[]> response) throws IOException {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Response.parse(response.body(), response.headers().firstValue(HEADER_LENGTH).orElse(null));
  }

  static String error(HttpResponse<byte[]> response) throws IOException {
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return JSON.readTree(response.body()).get("error").asText();
  }

  /** add_sub answered over plain JSON, the reference for the binary forms. */
  static JsonNode jsonPathOutputs() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .jsonInput("INPUT0", "FP32", ROW_OF_16, JSON.writeValueAsString(COUNTING))
        .jsonInput("INPUT1", "FP32", ROW_OF_16, JSON.writeValueAsString(ONES));
    HttpResponse<byte[]> response = post("add_sub", body.body(), "Content-Type", "application/json");
    assertThat(response.headers().firstValue(HEADER_LENGTH)).isEmpty();
    return parse(response).json().get("outputs");
  }

  static float[] floatsOf(JsonNode data) {
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) data.get(i).asDouble();
    }
    return values;
  }

  @Test
  void binaryInputsGiveTheJsonPathsAnswerAsJson() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", ROW_OF_16, floats(COUNTING))
        .binaryInput("INPUT1", "FP32", ROW_OF_16, floats(ONES));
    HttpResponse<byte[]> response = postBinary("add_sub", body);

    assertThat(response.headers().firstValue(HEADER_LENGTH)).isEmpty();
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    assertThat(parse(response).json().get("outputs")).isEqualTo(jsonPathOutputs());
  }

  @Test
  void binaryDataOutputReturnsEveryOutputAsBinaryEqualToTheJsonPath() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .jsonInput("INPUT0", "FP32", ROW_OF_16, JSON.writeValueAsString(COUNTING))
        .jsonInput("INPUT1", "FP32", ROW_OF_16, JSON.writeValueAsString(ONES))
        .parameter("binary_data_output", true);
    HttpResponse<byte[]> response = post("add_sub", body.body(), "Content-Type", "application/json");

    assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    Response parsed = parse(response);
    assertThat(Integer.parseInt(response.headers().firstValue(HEADER_LENGTH).orElseThrow()))
        .isLessThan(response.body().length);
    JsonNode reference = jsonPathOutputs();
    for (int i = 0; i < 2; i++) {
      String name = "OUTPUT" + i;
      JsonNode output = parsed.output(name);
      assertThat(output.has("data")).isFalse();
      assertThat(output.get("parameters").get("binary_data_size").asInt()).isEqualTo(64);
      assertThat(output.get("shape").toString()).isEqualTo("[1,16]");
      assertThat(toFloats(parsed.binaryOutputs().get(name))).containsExactly(floatsOf(reference.get(i).get("data")));
    }
    assertThat(parsed.json().has("parameters")).as("binary_data_output is consumed, not echoed").isFalse();
  }

  @Test
  void mixedInputsAndPerOutputChoice() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", ROW_OF_16, floats(COUNTING))
        .jsonInput("INPUT1", "FP32", ROW_OF_16, JSON.writeValueAsString(ONES))
        .output("OUTPUT0", true)
        .output("OUTPUT1", false);
    Response parsed = parse(postBinary("add_sub", body));

    JsonNode reference = jsonPathOutputs();
    assertThat(toFloats(parsed.binaryOutputs().get("OUTPUT0"))).containsExactly(floatsOf(reference.get(0).get("data")));
    assertThat(parsed.binaryOutputs()).containsOnlyKeys("OUTPUT0");
    assertThat(parsed.output("OUTPUT1").get("data")).isEqualTo(reference.get(1).get("data"));
  }

  @Test
  void perOutputBinaryDataOverridesTheRequestDefault() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", ROW_OF_16, floats(COUNTING))
        .binaryInput("INPUT1", "FP32", ROW_OF_16, floats(ONES))
        .parameter("binary_data_output", true)
        .output("OUTPUT0", true)
        .output("OUTPUT1", false);
    Response parsed = parse(postBinary("add_sub", body));

    assertThat(parsed.binaryOutputs()).containsOnlyKeys("OUTPUT0");
    assertThat(parsed.output("OUTPUT1").get("data").get(15).asDouble()).isEqualTo(15.0);
  }

  @Test
  void aListedOutputWithoutBinaryDataIsJsonEvenWithBinaryDataOutput() throws Exception {
    // Triton's rule (http_server.cc): binary_data_output decides only for outputs the request does
    // not list; a listed output without its own binary_data is JSON
    BinaryInferBody body = new BinaryInferBody()
        .jsonInput("INPUT0", "FP32", ROW_OF_16, JSON.writeValueAsString(COUNTING))
        .jsonInput("INPUT1", "FP32", ROW_OF_16, JSON.writeValueAsString(ONES))
        .parameter("binary_data_output", true)
        .output("OUTPUT0", null)
        .output("OUTPUT1", true);
    HttpResponse<byte[]> response = post("add_sub", body.body(), "Content-Type", "application/json");
    Response parsed = parse(response);

    assertThat(parsed.binaryOutputs()).containsOnlyKeys("OUTPUT1");
    assertThat(parsed.output("OUTPUT0").get("data")).isEqualTo(jsonPathOutputs().get(0).get("data"));

    BinaryInferBody onlyListed = new BinaryInferBody()
        .jsonInput("INPUT0", "FP32", ROW_OF_16, JSON.writeValueAsString(COUNTING))
        .jsonInput("INPUT1", "FP32", ROW_OF_16, JSON.writeValueAsString(ONES))
        .parameter("binary_data_output", true)
        .output("OUTPUT1", null);
    HttpResponse<byte[]> jsonOnly = post("add_sub", onlyListed.body(), "Content-Type", "application/json");
    assertThat(jsonOnly.headers().firstValue(HEADER_LENGTH)).isEmpty();
    assertThat(parse(jsonOnly).output("OUTPUT1").get("data")).isEqualTo(jsonPathOutputs().get(1).get("data"));
  }

  static Stream<Arguments> datatypes() {
    ByteBuffer int64 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(Long.MIN_VALUE).putLong(-1).putLong(Long.MAX_VALUE);
    ByteBuffer fp16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800).putShort((short) 0x7C00);
    return Stream.of(
        Arguments.of("FP32", new long[] {2, 2}, floats(1.5f, -2.25f, 0f, Float.MAX_VALUE),
            "[1.5,-2.25,0.0,3.4028235E38]"),
        Arguments.of("INT64", new long[] {3}, int64.array(),
            "[-9223372036854775808,-1,9223372036854775807]"),
        Arguments.of("BOOL", new long[] {3}, new byte[] {1, 0, 1}, "[true,false,true]"),
        Arguments.of("FP16", new long[] {1, 4}, fp16.array(), "[1.0,-2.0,0.5,Infinity]"),
        Arguments.of("BYTES", new long[] {3}, strings("hi", "", "héllo"), "[\"hi\",\"\",\"héllo\"]"),
        Arguments.of("UINT8", new long[] {2}, new byte[] {0, (byte) 255}, "[0,255]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datatypes")
  void everyDatatypeRoundTripsBinaryInAndOut(String datatype, long[] shape, byte[] data, String asJson)
      throws Exception {
    BinaryInferBody body = new BinaryInferBody().binaryInput("X", datatype, shape, data).output("X", true);
    Response parsed = parse(postBinary("echo", body));

    JsonNode output = parsed.output("X");
    assertThat(output.get("datatype").asText()).isEqualTo(datatype);
    assertThat(output.get("shape").toString()).isEqualTo(Arrays.toString(shape).replace(" ", ""));
    assertThat(output.get("parameters").get("binary_data_size").asInt()).isEqualTo(data.length);
    assertThat(parsed.binaryOutputs().get("X")).isEqualTo(data);

    BinaryInferBody asJsonOutput = new BinaryInferBody().binaryInput("X", datatype, shape, data).output("X", false);
    JsonNode jsonData = parse(postBinary("echo", asJsonOutput)).output("X").get("data");
    assertThat(BinaryInferBody.JSON.writeValueAsString(jsonData)).isEqualTo(asJson);
    if (!datatype.equals("FP16")) {
      // the JSON path, where the datatype has a JSON form, answers the same bytes
      BinaryInferBody jsonIn = new BinaryInferBody().jsonInput("X", datatype, shape, asJson).output("X", true);
      HttpResponse<byte[]> response = post("echo", jsonIn.body(), "Content-Type", "application/json");
      assertThat(parse(response).binaryOutputs().get("X")).isEqualTo(data);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedAsJsonAndComeBackIntactAsBinary() throws Exception {
    byte[] latin1 = {4, 0, 0, 0, 'c', 'a', 'f', (byte) 0xE9}; // one element, "café" in ISO-8859-1
    BinaryInferBody asJson = new BinaryInferBody().binaryInput("X", "BYTES", new long[] {1}, latin1).output("X", false);
    HttpResponse<byte[]> refused = postBinary("echo", asJson);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(error(refused)).isEqualTo("output 'X' BYTES element 0: not valid UTF-8, which JSON cannot carry "
        + "(expected: ask for the output with \"binary_data\": true)");

    BinaryInferBody asBinary = new BinaryInferBody().binaryInput("X", "BYTES", new long[] {1}, latin1).output("X", true);
    assertThat(parse(postBinary("echo", asBinary)).binaryOutputs().get("X")).isEqualTo(latin1);
  }

  @Test
  void fp16BinaryInputComesBackAsJsonFloats() throws Exception {
    ByteBuffer fp16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800);
    BinaryInferBody body = new BinaryInferBody().binaryInput("X", "FP16", new long[] {3}, fp16.array());
    assertThat(parse(postBinary("echo", body)).output("X").get("data").toString()).isEqualTo("[1.0,-2.0,0.5]");
  }

  @Test
  void tritonDocumentationExample() throws Exception {
    // extension_binary_data.md: UINT32 [2,2] (16 bytes) and BOOL [3] (3 bytes), 19 bytes after the JSON
    ByteBuffer uint32 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).putInt(3).putInt(-1);
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("input0", "UINT32", new long[] {2, 2}, uint32.array())
        .binaryInput("input1", "BOOL", new long[] {3}, new byte[] {1, 0, 1})
        .output("input0", false)
        .output("input1", true);
    assertThat(body.body().length - body.json().length).isEqualTo(19);
    Response parsed = parse(postBinary("echo", body));

    assertThat(parsed.output("input0").get("data").toString()).isEqualTo("[1,2,3,4294967295]");
    assertThat(parsed.binaryOutputs().get("input1")).containsExactly(1, 0, 1);
  }

  @Test
  void zeroSizedBinaryInputAndOutput() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("X", "FP32", new long[] {0, 4}, new byte[0])
        .parameter("binary_data_output", true);
    HttpResponse<byte[]> response = postBinary("echo", body);
    // as Triton: no bytes follow the JSON, so the answer is plain JSON with binary_data_size 0
    assertThat(response.headers().firstValue(HEADER_LENGTH)).isEmpty();
    assertThat(parse(response).output("X").get("parameters").get("binary_data_size").asInt()).isZero();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("size not matching the shape",
            new BinaryInferBody().binaryInput("X", "FP32", new long[] {2}, new byte[7]),
            "input 'X' parameters.binary_data_size: 7 (expected: 8 bytes, 2 elements of FP32 from shape [2])"),
        Arguments.of("fewer bytes than declared",
            new BinaryInferBody().binaryInput("X", "INT32", new long[] {2}, new byte[4], 8),
            "binary tensor data: 4 bytes after the"),
        Arguments.of("more bytes than declared",
            new BinaryInferBody().binaryInput("A", "INT8", new long[] {2}, new byte[3], 2)
                .binaryInput("B", "BOOL", new long[] {1}, new byte[1]),
            "(expected: 3, the sum of parameters.binary_data_size of inputs [A: 2, B: 1])"),
        Arguments.of("data and binary_data_size",
            new BinaryInferBody().jsonInput("X", "INT8", new long[] {1}, "[1]"),
            "input 'X': both data and parameters.binary_data_size (expected: exactly one of them)"),
        Arguments.of("negative size",
            new BinaryInferBody().binaryInput("X", "BYTES", new long[] {1}, new byte[0], -4),
            "input 'X' parameters.binary_data_size: -4 (expected: an integer >= 0)"),
        Arguments.of("BYTES length past the end",
            new BinaryInferBody().binaryInput("S", "BYTES", new long[] {2},
                concat(strings("ok"), new byte[] {50, 0, 0, 0, 'x'})),
            "input 'S' BYTES element 1 at byte 6: length 50 (expected: <= 1, the bytes left of binary_data_size 11)"),
        Arguments.of("BYTES element count",
            new BinaryInferBody().binaryInput("S", "BYTES", new long[] {3}, strings("a", "b")),
            "input 'S' BYTES data: 2 elements in 10 bytes (expected: 3 from shape [3]"),
        Arguments.of("binary_data not a bool",
            new BinaryInferBody().binaryInput("X", "BOOL", new long[] {1}, new byte[1]).output("X", null),
            "output 'X' parameters.binary_data: yes (expected: true or false)"));
  }

  static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badBinaryBodiesAre400NamingInputAndExpectedBytes(String scenario, BinaryInferBody body, String message)
      throws Exception {
    byte[] bytes = body.body();
    int jsonLength = body.json().length;
    String json = new String(bytes, 0, jsonLength, StandardCharsets.UTF_8);
    if (scenario.equals("data and binary_data_size")) {
      json = json.replace("\"data\":[1]", "\"data\":[1],\"parameters\":{\"binary_data_size\":1}");
    } else if (scenario.equals("binary_data not a bool")) {
      json = json.replace("{\"name\":\"X\"}]", "{\"name\":\"X\",\"parameters\":{\"binary_data\":\"yes\"}}]");
    }
    byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
    byte[] edited = concat(jsonBytes, Arrays.copyOfRange(bytes, jsonLength, bytes.length));
    HttpResponse<byte[]> response = post("echo", edited, HEADER_LENGTH, Integer.toString(jsonBytes.length));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains(message);
    assertServerStillServes();
  }

  @ParameterizedTest(name = "Inference-Header-Content-Length: {0}")
  @CsvSource(delimiter = '|', value = {
      "abc|Inference-Header-Content-Length: abc (expected: an integer in [1, ",
      "-5|Inference-Header-Content-Length: -5 (expected: an integer in [1, ",
      "99999|Inference-Header-Content-Length: 99999 (expected: an integer in [1, ",
      "20|request body: malformed JSON"})
  void badHeaderLengthsAre400(String headerLength, String message) throws Exception {
    BinaryInferBody body = new BinaryInferBody().binaryInput("X", "FP32", new long[] {2}, floats(1, 2));
    HttpResponse<byte[]> response = post("echo", body.body(), HEADER_LENGTH, headerLength);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains(message);
    assertServerStillServes();
  }

  @Test
  void binaryInputWithoutTheHeaderIs400() throws Exception {
    BinaryInferBody body = new BinaryInferBody().binaryInput("X", "FP32", new long[] {2}, floats(1, 2));
    HttpResponse<byte[]> response = post("echo", body.json());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response)).contains("request header Inference-Header-Content-Length: missing (expected: the "
        + "byte length of the JSON, followed by 8 bytes of binary tensor data for inputs [X: 8])");
    assertServerStillServes();
  }

  @Test
  void gzipAndDeflateBodiesBothWays() throws Exception {
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f;
    }
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("X", "FP32", new long[] {values.length}, floats(values)).output("X", true);
    for (String encoding : new String[] {"gzip", "deflate"}) {
      HttpResponse<byte[]> response = post("echo", compress(encoding, body.body()),
          HEADER_LENGTH, Integer.toString(body.json().length), "Content-Encoding", encoding,
          "Accept-Encoding", encoding);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-encoding")).hasValue(encoding);
      // the header length counts the uncompressed JSON, as Triton's
      Response parsed = Response.parse(decompress(encoding, response.body()),
          response.headers().firstValue(HEADER_LENGTH).orElseThrow());
      assertThat(toFloats(parsed.binaryOutputs().get("X"))).containsExactly(values);
    }
  }

  @Test
  void longErrorsComeBackUncompressedWhileLargeAnswersAreCompressed() throws Exception {
    // tritonclient reads error bodies without decompressing them: Triton compresses only answers
    String datatype = "X".repeat(2000);
    BinaryInferBody bad = new BinaryInferBody().jsonInput("X", datatype, new long[] {1}, "[1]");
    for (String encoding : new String[] {"gzip", "deflate", "gzip;q=0.5, deflate"}) {
      HttpResponse<byte[]> error = post("echo", bad.body(), "Accept-Encoding", encoding);

      assertThat(error.statusCode()).isEqualTo(400);
      assertThat(error.headers().firstValue("content-encoding")).isEmpty();
      assertThat(error.body().length).isGreaterThan(2000);
      assertThat(error(error)).startsWith("input 'X' datatype: XXX");
    }
    float[] values = new float[1000];
    BinaryInferBody large = new BinaryInferBody().jsonInput("X", "FP32", new long[] {values.length},
        JSON.writeValueAsString(values));
    HttpResponse<byte[]> unknownModel = post("m".repeat(1500), large.body(), "Accept-Encoding", "gzip");
    assertThat(unknownModel.statusCode()).isEqualTo(404);
    assertThat(unknownModel.headers().firstValue("content-encoding")).isEmpty();
    assertThat(error(unknownModel)).startsWith("model 'mmm");

    HttpResponse<byte[]> answer = post("echo", large.body(), "Accept-Encoding", "gzip");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(JSON.readTree(decompress("gzip", answer.body())).get("outputs").get(0).get("data")).hasSize(1000);
    HttpResponse<byte[]> refused = post("echo", large.body(), "Accept-Encoding", "gzip;q=0");
    assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
    assertThat(JSON.readTree(refused.body()).get("outputs").get(0).get("data")).hasSize(1000);
  }

  @Test
  void serverMetadataListsTheExtension() throws Exception {
    HttpResponse<String> metadata = new LocalHttp(server.httpPort()).get("/v2");
    assertThat(JSON.readTree(metadata.body()).get("extensions").toString()).contains("\"binary_tensor_data\"");
  }

  static void assertServerStillServes() throws Exception {
    BinaryInferBody body = new BinaryInferBody().binaryInput("X", "INT8", new long[] {2}, new byte[] {7, -7})
        .output("X", false);
    assertThat(parse(postBinary("echo", body)).output("X").get("data").toString()).isEqualTo("[7,-7]");
  }

  static byte[] compress(String encoding, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var compressing = encoding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      compressing.write(data);
    }
    return out.toByteArray();
  }

  static byte[] decompress(String encoding, byte[] data) throws IOException {
    var in = new java.io.ByteArrayInputStream(data);
    try (var decompressing = encoding.equals("gzip") ? new GZIPInputStream(in) : new InflaterInputStream(in)) {
      return decompressing.readAllBytes();
    }
  }
}
