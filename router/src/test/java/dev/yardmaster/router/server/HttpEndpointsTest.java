package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.router.testsupport.Http11;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpEndpointsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static FakeModelManager manager;
  static YardmasterServer server;
  static HttpClient client;

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
    client = Http11.client();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  static String addSubBody(String id, String extra) {
    return "{\"id\":\"" + id + "\",\"inputs\":["
        + "{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]]},"
        + "{\"name\":\"INPUT1\",\"datatype\":\"FP32\",\"shape\":[1,16],\"data\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]"
        + extra + "}";
  }

  @Test
  void healthEndpoints() throws Exception {
    assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void serverMetadata() throws Exception {
    JsonNode metadata = json(get("/v2"));
    assertThat(metadata.get("name").asText()).isEqualTo("yardmaster");
    assertThat(metadata.get("extensions").toString()).contains("model_repository");
  }

  @Test
  void modelMetadataWithAndWithoutVersion() throws Exception {
    JsonNode metadata = json(get("/v2/models/add_sub"));
    assertThat(metadata.get("name").asText()).isEqualTo("add_sub");
    assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,16]");
    assertThat(metadata.get("outputs").get(1).get("name").asText()).isEqualTo("OUTPUT1");
    assertThat(get("/v2/models/echo/versions/2").statusCode()).isEqualTo(200);
  }

  @Test
  void modelReadiness() throws Exception {
    assertThat(get("/v2/models/echo/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/echo/versions/2/ready").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/echo/versions/5/ready").statusCode()).isEqualTo(400);
    assertThat(get("/v2/models/nope/ready").statusCode()).isEqualTo(400);
  }

  @Test
  void aModelThatIsNotReadyIs400WithAnErrorBodyAsTriton() throws Exception {
    HttpResponse<String> unknownVersion = get("/v2/models/echo/versions/5/ready");
    assertThat(unknownVersion.statusCode()).isEqualTo(400);
    assertThat(json(unknownVersion).get("error").asText())
        .isEqualTo("model 'echo' version 5: not ready (expected: a loaded model version)");
    HttpResponse<String> unknownModel = get("/v2/models/nope/ready");
    assertThat(unknownModel.statusCode()).isEqualTo(400);
    assertThat(json(unknownModel).get("error").asText())
        .isEqualTo("model 'nope': not ready (expected: a loaded model with a ready version)");
    HttpResponse<String> ready = get("/v2/models/echo/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEmpty();
  }

  @Test
  void aVersionThatIsNotDigitsIsNoEndpoint() throws Exception {
    // Triton's path pattern takes only [0-9]+ as a version
    for (String suffix : new String[] {"", "/ready", "/config", "/stats"}) {
      HttpResponse<String> response = get("/v2/models/echo/versions/abc" + suffix);
      assertThat(response.statusCode()).as(suffix).isEqualTo(404);
      assertThat(json(response).get("error").asText()).isEqualTo("GET /v2/models/echo/versions/abc" + suffix
          + ": no such endpoint (expected: a version of digits, e.g. /v2/models/{model}/versions/1)");
    }
    HttpResponse<String> infer = post("/v2/models/add_sub/versions/-1/infer", addSubBody("v", ""));
    assertThat(infer.statusCode()).isEqualTo(404);
    assertThat(json(infer).get("error").asText()).startsWith("POST /v2/models/add_sub/versions/-1/infer: no such");
    assertThat(get("/v2/models/echo/versions/2/config").statusCode()).isEqualTo(200);
  }

  @Test
  void configOfANonBatchingModelPrintsDefaultsAsTriton() throws Exception {
    // Triton prints configs with always_print_primitive_fields; clients read config["max_batch_size"]
    HttpResponse<String> response = get("/v2/models/echo/config");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"max_batch_size\":0");
    JsonNode config = JSON.readTree(response.body());
    assertThat(config.get("max_batch_size").isInt()).isTrue();
    assertThat(config.get("backend").asText()).isEmpty();
    assertThat(config.get("output").get(0).toString()).isEqualTo("{\"name\":\"INPUT0\",\"data_type\":\"TYPE_STRING\","
        + "\"dims\":[-1],\"label_filename\":\"\",\"is_shape_tensor\":false}");
    assertThat(config.get("instance_group").isArray()).isTrue();
    assertThat(config.get("parameters").isObject()).isTrue();
    assertThat(config.has("version_policy")).as("an unset message stays absent").isFalse();
    assertThat(config.has("dynamic_batching")).as("an unset oneof member stays absent").isFalse();
  }

  @Test
  void modelConfigAndStats() throws Exception {
    JsonNode config = json(get("/v2/models/add_sub/config"));
    assertThat(config.get("name").asText()).isEqualTo("add_sub");
    assertThat(config.get("max_batch_size").asInt()).isEqualTo(8);
    assertThat(config.get("input").get(0).toString())
        .isEqualTo("{\"name\":\"INPUT0\",\"data_type\":\"TYPE_FP32\",\"format\":\"FORMAT_NONE\",\"dims\":[16],"
            + "\"is_shape_tensor\":false,\"allow_ragged_batch\":false,\"optional\":false}");
    assertThat(get("/v2/models/add_sub/versions/1/config").statusCode()).isEqualTo(200);

    post("/v2/models/add_sub/infer", addSubBody("for-stats", ""));
    JsonNode stats = json(get("/v2/models/add_sub/stats")).get("model_stats").get(0);
    assertThat(stats.get("name").asText()).isEqualTo("add_sub");
    assertThat(stats.get("inference_stats").get("success").get("count").asLong()).isPositive();
    assertThat(stats.get("inference_stats").get("queue").get("ns").asLong()).isPositive();
    assertThat(stats.get("batch_stats").get(0).get("batch_size").asInt()).isEqualTo(1);
    assertThat(get("/v2/models/add_sub/versions/1/stats").statusCode()).isEqualTo(200);
    assertThat(json(get("/v2/models/stats")).get("model_stats")).hasSize(manager.readyModels().size());
  }

  @Test
  void inferAddSubWithNestedAndFlatData() throws Exception {
    HttpResponse<String> response = post("/v2/models/add_sub/infer", addSubBody("req-7", ""));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("id").asText()).isEqualTo("req-7");
    assertThat(body.get("model_name").asText()).isEqualTo("add_sub");
    assertThat(body.get("model_version").asText()).isEqualTo("1");
    JsonNode output0 = body.get("outputs").get(0);
    assertThat(output0.get("name").asText()).isEqualTo("OUTPUT0");
    assertThat(output0.get("datatype").asText()).isEqualTo("FP32");
    assertThat(output0.get("shape").toString()).isEqualTo("[1,16]");
    assertThat(output0.get("data").get(0).asDouble()).isEqualTo(2.0);
    assertThat(output0.get("data").get(15).asDouble()).isEqualTo(17.0);
    assertThat(body.get("outputs").get(1).get("data").get(15).asDouble()).isEqualTo(15.0);
  }

  @Test
  void versionedInferAndOutputsSubset() throws Exception {
    HttpResponse<String> response = post("/v2/models/add_sub/versions/1/infer",
        addSubBody("sub", ",\"outputs\":[{\"name\":\"OUTPUT1\",\"parameters\":{\"binary_data\":false}}]"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode outputs = json(response).get("outputs");
    assertThat(outputs).hasSize(1);
    assertThat(outputs.get(0).get("name").asText()).isEqualTo("OUTPUT1");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "BOOL|[true,false]",
      "UINT8|[0,255]",
      "UINT16|[0,65535]",
      "UINT32|[0,4294967295]",
      "UINT64|[0,18446744073709551615]",
      "INT8|[-128,127]",
      "INT16|[-32768,32767]",
      "INT32|[-2147483648,2147483647]",
      "INT64|[-9223372036854775808,9223372036854775807]",
      "FP32|[1.5,-2.25]",
      "FP64|[1.0E300,-2.5]",
      "BYTES|[\"hi\",\"héllo\"]"})
  void everyJsonDatatypeRoundTrips(String datatype, String data) throws Exception {
    String body = "{\"inputs\":[{\"name\":\"X\",\"shape\":[2],\"datatype\":\"" + datatype + "\",\"data\":" + data + "}]}";
    HttpResponse<String> response = post("/v2/models/echo/infer", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode output = json(response).get("outputs").get(0);
    assertThat(output.get("datatype").asText()).isEqualTo(datatype);
    assertThat(output.get("data")).isEqualTo(JSON.readTree(data));
  }

  @Test
  void dataBeforeDatatypeIsAccepted() throws Exception {
    String body = "{\"inputs\":[{\"data\":[[1,2],[3,4]],\"name\":\"X\",\"shape\":[2,2],\"datatype\":\"INT32\"}]}";
    HttpResponse<String> response = post("/v2/models/echo/infer", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("outputs").get(0).get("data").toString()).isEqualTo("[1,2,3,4]");
  }

  @Test
  void unknownModelIs404WithErrorJson() throws Exception {
    HttpResponse<String> response = post("/v2/models/nope/infer", addSubBody("x", ""));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get("error").asText()).contains("model 'nope'");
    assertThat(get("/v2/models/nope").statusCode()).isEqualTo(404);
    assertThat(get("/v2/models/nope/config").statusCode()).isEqualTo(404);
    // statistics refuse it as Triton's TRITONSERVER_ServerModelStatistics does: INVALID_ARG
    assertThat(get("/v2/models/nope/stats").statusCode()).isEqualTo(400);
    assertThat(get("/v2/models/add_sub/versions/9").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"inputs\":[|request body: malformed JSON",
      "''|request body: empty",
      "[1,2]|request body: a JSON array (expected: a JSON object)",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]}|input 'X' datatype: FLOAT (expected: one of [BOOL",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[1,2]}]}|input 'X' data: 2 elements (expected: 3 from shape [3])",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"INT8\",\"data\":[300]}]}|input 'X' data[0]: 300 (expected: an integer in [-128, 127] for INT8)",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"FP32\"}]}|input 'X' data: missing",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[4611686018427387904,4],\"datatype\":\"INT8\",\"data\":[]}]}|input 'X' shape: [4611686018427387904, 4] (expected: fewer than 2^63 elements)",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[4,1152921504606846978],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6,7,8,9]}]}|input 'X' byte size: 4611686018427387912 elements of 4 bytes (expected: < 2 GiB)",
      "{\"inputs\":[{\"name\":\"X\",\"shape\":[2],\"datatype\":\"FP16\",\"data\":[1,2]}]}|input 'X' datatype: FP16 in JSON data (expected: a datatype other than FP16/BF16; send those as binary tensor data",
      "{\"inputs\":[]}|inputs: none",
      "{\"parameters\":{\"priority\":-1},\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}|parameter 'priority': -1 (expected: >= 0)",
      "{\"parameters\":{\"timeout\":-5},\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}|parameter 'timeout': -5 (expected: >= 0 microseconds)"})
  void badRequestsAre400NamingTheProblem(String body, String message) throws Exception {
    HttpResponse<String> response = post("/v2/models/echo/infer", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains(message);
  }

  @Test
  void jsonNestedDeeperThanTritonsLimitOf100Is400() throws Exception {
    // the request object, inputs and the input object are 3 levels: data in 97 arrays is 100 deep
    String within = "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":"
        + "[".repeat(97) + "7" + "]".repeat(97) + "}]}";
    String deeper = within.replace("\"data\":[", "\"data\":[[").replace("]}]}", "]]}]}");

    assertThat(post("/v2/models/echo/infer", within).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = post("/v2/models/echo/infer", deeper);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(json(refused).get("error").asText()).contains("nesting depth (101)", "at most 100");
  }

  @Test
  void unknownPathsAndMethodsAnswerErrorJson() throws Exception {
    HttpResponse<String> unknown = get("/v2/nothing/here");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).isEqualTo(
        "GET /v2/nothing/here: no such endpoint (expected: a KServe v2 path, e.g. /v2/models/{model}/infer)");
    HttpResponse<String> wrongMethod = get("/v2/models/add_sub/infer");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).get("error").asText()).contains("method not allowed");
  }

  @Test
  void modelValidationErrorsAre400() throws Exception {
    String body = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"INT32\",\"data\":"
        + "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}]}";
    HttpResponse<String> response = post("/v2/models/add_sub/infer", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains("datatype: INT32 (expected: FP32)");
  }

  @Test
  void faultyModelIs500AndLargeBodiesDecodeOffTheEventLoop() throws Exception {
    HttpResponse<String> failed = post("/v2/models/faulty/versions/2/infer",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}]}");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(json(failed).get("error").asText()).contains("broke its contract");

    int count = 100_000;
    StringBuilder data = new StringBuilder("[0");
    for (int i = 1; i < count; i++) {
      data.append(',').append(i);
    }
    data.append(']');
    HttpResponse<String> large = post("/v2/models/echo/infer", "{\"inputs\":[{\"name\":\"X\",\"shape\":["
        + count + "],\"datatype\":\"INT64\",\"data\":" + data + "}]}");
    assertThat(large.statusCode()).isEqualTo(200);
    JsonNode values = json(large).get("outputs").get(0).get("data");
    assertThat(values).hasSize(count);
    assertThat(values.get(count - 1).asLong()).isEqualTo(count - 1);
  }

  @Test
  void repositoryIndexLoadUnload() throws Exception {
    HttpResponse<String> malformed = post("/v2/repository/models/slow/unload", "AAAA");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("error").asText()).contains("request body: malformed JSON");
    assertThat(get("/v2/models/slow/ready").statusCode()).as("not unloaded").isEqualTo(200);
    assertThat(post("/v2/repository/models/slow/unload", "").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/slow/ready").statusCode()).isEqualTo(400);
    JsonNode index = json(post("/v2/repository/index", ""));
    assertThat(index.toString()).contains("{\"name\":\"slow\",\"state\":\"UNAVAILABLE\",\"reason\":\"unloaded\"}");
    JsonNode readyIndex = json(post("/v2/repository/index", "{\"ready\":true}"));
    assertThat(readyIndex.toString()).doesNotContain("slow").contains("{\"name\":\"echo\",\"version\":\"2\",\"state\":\"READY\"}");
    assertThat(post("/v2/repository/models/slow/load", "").statusCode()).isEqualTo(200);
    assertThat(get("/v2/models/slow/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> missing = post("/v2/repository/models/nope/load", "");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").asText()).contains("model 'nope'");
  }
}
