package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.JSON;
import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.Http11;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RawHttp;
import dev.yardmaster.router.testsupport.RepositoryServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ports of Triton's {@code qa/L0_http/http_test.py} (HttpTest), {@code nested_json_crash.py} and
 * {@code http_request_many_chunks.py} over the real HTTP port of a served repository of ONNX
 * models written by project code, named as the Triton models they stand for. The checks Triton's
 * {@code test.sh} makes with curl on plain endpoints are in {@link TritonL0HttpCurlTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0HttpTest {

  static final String HEADER_LENGTH = BinaryTensorDataHttpTest.HEADER_LENGTH;
  /** Identity of FP32, max_batch_size 8, dims [-1]. */
  static final String FLOATS = "onnx_zero_1_float32";
  /**
   * {@link #FLOATS} with room for one queued request, held up to 3 s for a batch of 8 (Triton's
   * test holds it 1 s: the longer wait keeps both requests inside it on a loaded machine).
   */
  static final String FLOATS_QUEUE = "onnx_zero_1_float32_queue";
  /** Identity of BYTES, max_batch_size 8, dims [-1]. */
  static final String OBJECTS = "onnx_zero_1_object";
  /** Identity of BYTES, max_batch_size 8, dims [1]. */
  static final String ONE_STRING = "onnx_zero_1_object_1_element";
  /** Identity of FP16 without batching, dims [-1, -1]: two variable-sized dims. */
  static final String HALVES = DemoModels.identityModelName(DataType.FP16);
  static final String INT64S = DemoModels.identityModelName(DataType.INT64);

  @TempDir static Path repository;
  static YardmasterServer server;

  @BeforeAll
  static void startServer() throws Exception {
    TritonRequests.writeModels(repository);
    String fp32 = DemoModels.identityModelName(DataType.FP32);
    String bytes = DemoModels.identityModelName(DataType.BYTES);
    TritonRequests.write(repository, FLOATS, fp32, identity(FLOATS, "TYPE_FP32", "-1", ""));
    TritonRequests.write(repository, FLOATS_QUEUE, fp32, identity(FLOATS_QUEUE, "TYPE_FP32", "-1",
        "dynamic_batching { max_queue_delay_microseconds: 3000000 preferred_batch_size: [ 8 ] "
            + "default_queue_policy { max_queue_size: 1 } }"));
    TritonRequests.write(repository, OBJECTS, bytes, identity(OBJECTS, "TYPE_STRING", "-1", ""));
    TritonRequests.write(repository, ONE_STRING, bytes, identity(ONE_STRING, "TYPE_STRING", "1", ""));
    TritonRequests.write(repository, HALVES, HALVES, DemoModels.identityConfig(DataType.FP16));
    TritonRequests.write(repository, INT64S, INT64S, DemoModels.identityConfig(DataType.INT64));
    server = RepositoryServers.serveAll(repository);
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  /** An identity config of one input and output, batching up to 8, with {@code extra} appended. */
  static ModelConfig identity(String name, String type, String dims, String extra) throws Exception {
    return TextFormat.parse("""
        name: "%s"
        platform: "onnxruntime_onnx"
        max_batch_size: 8
        input [ { name: "INPUT0" data_type: %s dims: [ %s ] } ]
        output [ { name: "OUTPUT0" data_type: %s dims: [ %s ] } ]
        %s
        """.formatted(name, type, dims, type, dims, extra), ModelConfig.class);
  }

  static HttpResponse<byte[]> postRaw(String model, byte[] body) throws Exception {
    return new LocalHttp(server.httpPort()).post("/v2/models/" + model + "/infer", body, HEADER_LENGTH, "0");
  }

  static Response binaryAnswer(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Response.parse(response.body(), response.headers().firstValue(HEADER_LENGTH).orElse(null));
  }

  static String jsonInput(String name, String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape
        + ",\"data\":" + data + "}]}";
  }

  /** The floats 0, 1, ... count - 1, as numpy's arange. */
  static byte[] range(int count) {
    ByteBuffer bytes = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      bytes.putFloat(i);
    }
    return bytes.array();
  }

  static String nested(int depth, String value) {
    return "[".repeat(depth) + value + "]".repeat(depth);
  }

  // http_test.py test_raw_binary: 8 floats as the whole body with Inference-Header-Content-Length: 0
  // come back as the identity's binary output.
  @Test
  void aRawFloatBodyComesBackAsTheBinaryOutput() throws Exception {
    byte[] input = range(8);

    assertThat(binaryAnswer(postRaw(FLOATS, input)).binaryOutputs().get("OUTPUT0")).isEqualTo(input);
  }

  // http_test.py test_raw_binary_longer: the same with 32 floats.
  @Test
  void aLongerRawFloatBodyComesBackToo() throws Exception {
    byte[] input = range(32);

    assertThat(binaryAnswer(postRaw(FLOATS, input)).binaryOutputs().get("OUTPUT0")).isEqualTo(input);
  }

  // http_test.py test_byte: "427" is the one element of a BYTES input of dims [1]; the output is
  // the element with its 4-byte length before it.
  @Test
  void aRawBodyIsTheOneElementOfABytesInputOfDimsOne() throws Exception {
    byte[] output = binaryAnswer(postRaw(ONE_STRING, "427".getBytes(StandardCharsets.UTF_8)))
        .binaryOutputs().get("OUTPUT0");

    assertThat(new String(output, Integer.BYTES, output.length - Integer.BYTES, StandardCharsets.UTF_8))
        .isEqualTo("427");
  }

  // http_test.py test_byte_too_many_elements: Triton's 400 "For BYTE datatype raw input 'INPUT0',
  // the model must have input shape [1]".
  @Test
  void aRawBodyForABytesInputOfManyElementsIs400() throws Exception {
    assertThat(http400(postRaw(OBJECTS, "427".getBytes(StandardCharsets.UTF_8))))
        .contains("BYTES input 'INPUT0'", "expected: dims [1]");
  }

  // http_test.py test_multi_variable_dimensions: Triton's 400 "The shape of the raw input 'INPUT0'
  // can not be deduced because there are more than one variable-sized dimension".
  @Test
  void aRawBodyForTwoVariableDimsIs400() throws Exception {
    assertThat(http400(postRaw(HALVES, new byte[8])))
        .contains("input 'INPUT0' cannot be deduced", "more than one variable-sized dimension");
  }

  // http_test.py test_multi_inputs: Triton's 400 "Raw request must only have 1 input (found 1) to be
  // deduced but got 3 inputs in ..." (add_sub has two).
  @Test
  void aRawBodyForAModelOfSeveralInputsIs400() throws Exception {
    assertThat(http400(postRaw(ADD_SUB, floats(new float[24])))).contains("model 'add_sub' with 2 inputs");
  }

  // http_test.py test_content_encoding_chunked_manually: a raw body sent as one hand-framed chunk
  // with Transfer-Encoding: chunked is decoded as the same body.
  @Test
  void aManuallyChunkedRawBodyIsDecoded() throws Exception {
    byte[] input = range(8);

    String answer = RawHttp.exchange(server.httpPort(), "POST /v2/models/" + FLOATS + "/infer HTTP/1.1",
        new String[] {"Inference-Header-Content-Length: 0", "Transfer-Encoding: chunked"}, RawHttp.chunked(input));

    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
    Response response = Response.parse(RawHttp.body(answer).getBytes(StandardCharsets.ISO_8859_1),
        RawHttp.header(answer, HEADER_LENGTH));
    assertThat(response.binaryOutputs().get("OUTPUT0")).isEqualTo(input);
  }

  // http_test.py test_descriptive_status_code: of two requests to a model that queues one at most,
  // the second is refused with a status saying so. Triton answers 503 (UNAVAILABLE, "Exceeds
  // maximum queue size"); a full queue here is RESOURCE_EXHAUSTED / 429, as the README documents.
  @Test
  void aRequestBeyondTheQueueIsRefusedWithAStatusNamingTheQueue() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
            + "/v2/models/" + FLOATS_QUEUE + "/infer")).timeout(Duration.ofSeconds(30))
        .header(HEADER_LENGTH, "0").POST(HttpRequest.BodyPublishers.ofByteArray(floats(new float[8]))).build();
    HttpClient client = Http11.client();

    List<CompletableFuture<HttpResponse<String>>> answers = List.of(
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()),
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));

    List<HttpResponse<String>> done = answers.stream().map(CompletableFuture::join).toList();
    assertThat(done).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 429);
    assertThat(done.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow().body())
        .contains("max_queue_size 1");
  }

  // http_test.py test_buffer_size_overflow: shape [16, 2^60 + 2] overflows the element count and
  // [4, 2^60 + 2] of FP32 the byte size; Triton answers 400 "... causes total element count to exceed
  // maximum size of ..." and "byte size overflow for input ...". More data than fits the wrapped
  // byte size must be refused too, not overrun a buffer.
  @Test
  void shapesWhoseElementOrByteCountOverflowAre400() throws Exception {
    assertThat(http400(httpInfer(server.httpPort(), FLOATS,
        jsonInput("INPUT0", "FP32", "[16,1152921504606846978]", "[1.0]"))))
        .contains("input 'INPUT0' shape", "fewer than 2^63 elements");
    for (String data : List.of("[1.0]", "[1,2,3,4,5,6,7,8,9]")) {
      assertThat(http400(httpInfer(server.httpPort(), FLOATS,
          jsonInput("INPUT0", "FP32", "[4,1152921504606846978]", data))))
          .as(data).contains("input 'INPUT0'", "byte size");
    }
  }

  // http_test.py test_negative_dimensions: shape [2, -5] is refused. Triton answers 500 ("Unable to
  // parse 'shape': attempt to access JSON non-unsigned-integer as unsigned-integer", a TritonJson
  // error, INTERNAL); a malformed request is a 400 here, as the README documents.
  @Test
  void aNegativeDimensionIsRefusedNamingTheShape() throws Exception {
    assertThat(http400(httpInfer(server.httpPort(), FLOATS, jsonInput("INPUT0", "FP32", "[2,-5]", "[1.0]"))))
        .contains("input 'INPUT0' shape: -5");
  }

  // http_test.py test_json_recursion_depth_limit: data nested 120 arrays deep is refused with "JSON
  // nesting depth exceeds maximum allowed limit (100)"; 50 deep it is one element of shape [1, 1].
  @Test
  void dataNestedDeeperThanTheLimitIsRefusedAndShallowerIsAnswered() throws Exception {
    for (String[] typed : new String[][] {{"BYTES", "\"hello\"", TritonRequests.STRINGS}, {"INT64", "123", INT64S}}) {
      HttpResponse<String> deep = httpInfer(server.httpPort(), typed[2],
          jsonInput("INPUT0", typed[0], "[1,1]", nested(120, typed[1])));
      HttpResponse<String> shallow = httpInfer(server.httpPort(), typed[2],
          jsonInput("INPUT0", typed[0], "[1,1]", nested(50, typed[1])));

      assertThat(http400(deep)).as(typed[0]).contains("nesting depth", "100");
      assertThat(shallow.statusCode()).as(typed[0] + " " + shallow.body()).isEqualTo(200);
      assertThat(JSON.readTree(shallow.body()).get("outputs").get(0).get("data").toString())
          .isEqualTo("[" + typed[1] + "]");
    }
  }

  // http_test.py test_duplicate_output_names: Triton's 400 "Duplicate output name 'OUTPUT0' is not
  // allowed in a request"; the server stays live.
  @Test
  void aDuplicateOutputNameIs400AndTheServerStaysLive() throws Exception {
    String body = "{\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1,8],\"data\":"
        + "[[0,1,2,3,4,5,6,7]]}],\"outputs\":[{\"name\":\"OUTPUT0\"},{\"name\":\"OUTPUT0\"}]}";

    assertThat(http400(httpInfer(server.httpPort(), FLOATS, body))).contains("output 'OUTPUT0': requested twice");
    assertThat(new LocalHttp(server.httpPort()).get("/v2/health/live").statusCode()).isEqualTo(200);
  }

  // nested_json_crash.py: data nested 150000 arrays deep must be answered (any status) without
  // the server going down.
  @Test
  void dataNested150000DeepIsAnsweredAndTheServerKeepsServing() throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), INT64S,
        jsonInput("INPUT0", "INT32", "[1]", nested(150_000, "1")));

    assertThat(http400(answer)).contains("nesting depth");
    assertThat(binaryAnswer(postRaw(FLOATS, floats(1, 2))).binaryOutputs().get("OUTPUT0")).isEqualTo(floats(1, 2));
  }

  /** http_request_many_chunks.py: a body of a million one-byte chunks "A" posted to {@code path}. */
  static String millionChunks(String path, String... headers) throws Exception {
    byte[] chunk = "1\r\nA\r\n".getBytes(StandardCharsets.US_ASCII);
    String[] all = Stream.concat(Stream.of("Content-Type: application/octet-stream", "Transfer-Encoding: chunked"),
        Arrays.stream(headers)).toArray(String[]::new);
    return RawHttp.exchange(server.httpPort(), "POST " + path + " HTTP/1.1", all, out -> {
      for (int i = 0; i < 1_000_000; i++) {
        out.write(chunk);
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    });
  }

  // http_request_many_chunks.py test_infer: a raw request of a million chunks to a model of two
  // inputs gets Triton's "Raw request must only have 1 input ... but got 2 inputs".
  @Test
  void aMillionChunkRawRequestIsRefusedNamingTheInputs() throws Exception {
    String answer = millionChunks("/v2/models/" + ADD_SUB + "/infer", "Inference-Header-Content-Length: 0");

    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(RawHttp.body(answer)).contains("model 'add_sub' with 2 inputs");
  }

  // http_request_many_chunks.py test_registry_index: Triton's parse error ("failed to parse the
  // request JSON buffer: Invalid value. at 0").
  @Test
  void aMillionChunkIndexRequestIsRefusedAsMalformedJson() throws Exception {
    String answer = millionChunks("/v2/repository/index");

    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
    assertThat(RawHttp.body(answer)).contains("malformed JSON");
  }

  // http_request_many_chunks.py test_model_control: load and unload with that body both get the
  // parse error (Triton's HandleRepositoryControl parses an unload body for unload_dependents), and
  // the model is not unloaded.
  @Test
  void aMillionChunkLoadOrUnloadIsRefusedAsMalformedJsonAndTheModelStaysReady() throws Exception {
    for (String action : List.of("load", "unload")) {
      String answer = millionChunks("/v2/repository/models/" + FLOATS + "/" + action);

      assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
      assertThat(RawHttp.body(answer)).as(action).contains("malformed JSON");
    }
    assertThat(new LocalHttp(server.httpPort()).get("/v2/models/" + FLOATS + "/ready").statusCode()).isEqualTo(200);
  }
}
