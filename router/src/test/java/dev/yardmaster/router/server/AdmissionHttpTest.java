package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.testsupport.Http11;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Admission over HTTP/JSON: the same rules and errors as gRPC, as 400 {"error": ...}. */
class AdmissionHttpTest {

  static FakeModelManager manager;
  static YardmasterServer server;
  static HttpClient client;

  @BeforeAll
  static void start() {
    manager = FakeModelManager.standard();
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).poolName("cpu-local")
        .build().start();
    client = Http11.client();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<String> infer(String model, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/" + model + "/infer"))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(model.equals("add_sub")
            ? HttpEndpointsTest.addSubBody("h", "")
            : "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}"))
        .header("content-type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @CsvSource({"gold,gold", "SILVER,silver", "' bronze ',bronze"})
  void eachTierIsAcceptedAndReportedInHeaders(String header, String tier) throws Exception {
    HttpResponse<String> response = infer("add_sub", "x-sla-tier", header);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-yardmaster-tier")).hasValue(tier);
    assertThat(response.headers().firstValue("x-yardmaster-pool")).hasValue("cpu-local");
    assertThat(response.headers().firstValue("x-yardmaster-model-version")).hasValue("1");
  }

  @Test
  void noTierHeaderGetsTheDefaultTier() throws Exception {
    HttpResponse<String> response = infer("echo");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-yardmaster-tier")).hasValue("bronze");
    assertThat(response.headers().firstValue("x-yardmaster-model-version")).hasValue("2");
  }

  @Test
  void unknownTierIs400NamingTheAllowedTiers() throws Exception {
    HttpResponse<String> response = infer("add_sub", "x-sla-tier", "platinum");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"x-sla-tier: \\\"platinum\\\" (expected: one of gold, silver, bronze)\"}");
    assertThat(response.headers().firstValue("x-yardmaster-pool")).hasValue("cpu-local");
  }

  @Test
  void malformedDeadlineIs400NamingTheHeader() throws Exception {
    HttpResponse<String> response = infer("add_sub", "x-deadline-ms", "-3");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("{\"error\":\"x-deadline-ms: \\\"-3\\\" (expected: a positive integer");
  }

  @Test
  void deadlinePassingInTheModelIs504() throws Exception {
    CompletableFuture<Void> gate = manager.model("slow", "1").closeGate();
    try {
      HttpResponse<String> response = infer("slow", "x-sla-tier", "silver", "x-deadline-ms", "30");

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.body()).startsWith("{\"error\":\"deadline: passed after");
      assertThat(response.headers().firstValue("x-yardmaster-tier")).hasValue("silver");
      assertThat(response.headers().firstValue("x-yardmaster-model-version")).hasValue("1");
    } finally {
      gate.complete(null);
    }
  }

  @Test
  void badInputStillCarriesTheFactsThatAreKnown() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/add_sub/versions/1/infer"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": 5}")).header("x-sla-tier", "gold").build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-yardmaster-tier")).hasValue("gold");
    assertThat(response.headers().firstValue("x-yardmaster-pool")).hasValue("cpu-local");
  }
}
