package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.testsupport.Http11;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  // one server for the class: each test reads models the others leave alone
  static FakeModelManager manager;
  static YardmasterServer server;
  static final HttpClient client = Http11.client();

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  String send(int port, String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  String scrape() throws Exception {
    return send(server.metricsPort(), "GET", "/metrics", "");
  }

  @Test
  void tritonFamiliesHaveTritonNamesTypesAndLabels() throws Exception {
    String infer = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[2,16],\"datatype\":\"FP32\",\"data\":"
        + "[" + "0,".repeat(31) + "0]},{\"name\":\"INPUT1\",\"shape\":[2,16],\"datatype\":\"FP32\",\"data\":["
        + "0,".repeat(31) + "0]}]}";
    send(server.httpPort(), "POST", "/v2/models/add_sub/infer", infer);
    send(server.httpPort(), "POST", "/v2/models/add_sub/infer", infer);
    send(server.httpPort(), "POST", "/v2/models/echo/versions/1/infer",
        "{\"inputs\":[{\"name\":\"X\",\"shape\":[1],\"datatype\":\"BOOL\",\"data\":[true]}],"
            + "\"outputs\":[{\"name\":\"missing\"}]}");

    String text = scrape();

    assertThat(text).contains(
        "# TYPE nv_inference_request_success counter\n",
        "nv_inference_request_success{model=\"add_sub\",version=\"1\"} 2\n",
        "nv_inference_request_failure{model=\"add_sub\",reason=\"OTHER\",version=\"1\"} 0\n",
        "nv_inference_request_failure{model=\"add_sub\",reason=\"BACKEND\",version=\"1\"} 0\n",
        "nv_inference_request_failure{model=\"echo\",reason=\"OTHER\",version=\"1\"} 1\n",
        "nv_inference_request_failure{model=\"echo\",reason=\"REJECTED\",version=\"1\"} 0\n",
        "nv_inference_request_success{model=\"echo\",version=\"2\"} 0\n",
        "nv_inference_count{model=\"add_sub\",version=\"1\"} 4\n",
        "nv_inference_exec_count{model=\"add_sub\",version=\"1\"} 2\n",
        "nv_inference_queue_duration_us{model=\"add_sub\",version=\"1\"} 1\n",
        "nv_inference_compute_input_duration_us{model=\"add_sub\",version=\"1\"} 2\n",
        "nv_inference_compute_infer_duration_us{model=\"add_sub\",version=\"1\"} 4\n",
        "nv_inference_compute_output_duration_us{model=\"add_sub\",version=\"1\"} 6\n",
        "# TYPE nv_inference_pending_request_count gauge\n",
        "nv_inference_pending_request_count{model=\"add_sub\",version=\"1\"} 0\n");
    assertThat(text).containsPattern("nv_inference_request_duration_us\\{model=\"add_sub\",version=\"1\"} \\d+\n");
    assertThat(text).doesNotContain("nv_inference_request_success_total");
  }

  @Test
  void unloadedModelsDisappearFromTheScrape() throws Exception {
    assertThat(scrape()).contains("nv_inference_count{model=\"slow\",version=\"1\"} 0");
    send(server.httpPort(), "POST", "/v2/repository/models/slow/unload", "");
    assertThat(scrape()).doesNotContain("model=\"slow\"").contains("model=\"echo\"");
  }

  @Test
  void micrometerMetersFollowTheTritonFamilies() throws Exception {
    send(server.httpPort(), "GET", "/v2/health/live", "");
    assertThat(scrape()).contains("nv_inference_count").contains("# TYPE armeria_");
  }

  @Test
  void theJvmsOwnMetersAreScrapedForSizingTheHeap() throws Exception {
    System.gc(); // a collection, so the collection meters have a sample
    assertThat(scrape())
        .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} \\d")
        .containsPattern("jvm_memory_max_bytes\\{area=\"heap\",id=\"[^\"]+\"} ")
        .containsPattern("jvm_buffer_memory_used_bytes\\{id=\"direct\"} \\d")
        .contains("# TYPE jvm_gc_live_data_size_bytes gauge", "jvm_threads_live_threads ");
  }
}
