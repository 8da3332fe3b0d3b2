package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.LocalHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real HTTP and ONNX Runtime: {@code POST v2/repository/models/<m>/load} with Triton's body
 * {@code {"parameters": {"config": "<json>"}}}, as {@code tritonclient.http load_model(config=)}
 * sends it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpLoadParametersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repository;
  private YardmasterServer server;
  private LocalHttp http;

  @BeforeEach
  void start() throws Exception {
    server = AddSubRepository.serve(AddSubRepository.write(repository));
    http = new LocalHttp(server.httpPort());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void configOverrideChangesMaxBatchSizeAndAPlainLoadRestoresTheRepositoryConfig() throws Exception {
    ObjectNode override = (ObjectNode) JSON.readTree(http.get("/v2/models/add_sub/config").body());
    override.put("max_batch_size", 2);
    override.remove("dynamic_batching");

    HttpResponse<String> loaded = http.post("/v2/repository/models/add_sub/load", loadBody(override.toString()));

    assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
    assertThat(config().path("max_batch_size").asInt()).isEqualTo(2);
    assertThat(http.post("/v2/models/add_sub/infer", AddSubRepository.jsonRequest(2)).statusCode()).isEqualTo(200);
    HttpResponse<String> tooMany = http.post("/v2/models/add_sub/infer", AddSubRepository.jsonRequest(3));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("batch size: 3 (expected: <= 2, the max_batch_size)");

    assertThat(http.post("/v2/repository/models/add_sub/load", "").statusCode()).isEqualTo(200);
    assertThat(config().path("max_batch_size").asInt()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
  }

  @Test
  void badOverrideAndUnknownParameterAre400AndFileOverrideIs501() throws Exception {
    HttpResponse<String> badJson = http.post("/v2/repository/models/add_sub/load", loadBody("{\"max_batch_size\": [}"));
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badJson.body()).path("error").asText()).startsWith("model 'add_sub' load config override: ");

    HttpResponse<String> unknown =
        http.post("/v2/repository/models/add_sub/load", "{\"parameters\": {\"conf\": \"{}\"}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unrecognized load parameter 'conf'");

    HttpResponse<String> file = http.post("/v2/repository/models/add_sub/load",
        "{\"parameters\": {\"file:1/model.onnx\": \"b25ueA==\"}}");
    assertThat(file.statusCode()).isEqualTo(501);
    assertThat(file.body()).contains("model file overrides are not supported");

    HttpResponse<String> malformed = http.post("/v2/repository/models/add_sub/load", "{\"parameters\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(config().path("max_batch_size").asInt()).isEqualTo(DemoModels.MAX_BATCH_SIZE);
  }

  private static String loadBody(String configJson) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("parameters").put("config", configJson);
    return body.toString();
  }

  private JsonNode config() throws Exception {
    return JSON.readTree(http.get("/v2/models/add_sub/config").body());
  }
}
