package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.testsupport.Http11;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The yardmaster_* series on /metrics: requests, latency by tier, SLA violations, route decisions. */
class AdmissionMetricsTest {

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

  static HttpResponse<String> send(int port, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    request = body.isEmpty() ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String scrape() throws Exception {
    return send(server.metricsPort(), "/metrics", "").body();
  }

  /** The value of one series in a scrape, 0 when absent. */
  static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  static String echoBody() {
    return "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}";
  }

  @Test
  void requestsAreCountedByModelTierPoolAndOutcome() throws Exception {
    send(server.httpPort(), "/v2/models/add_sub/infer", HttpEndpointsTest.addSubBody("m", ""), "x-sla-tier", "gold");
    send(server.httpPort(), "/v2/models/add_sub/infer", HttpEndpointsTest.addSubBody("m", ""), "x-sla-tier", "Gold");
    send(server.httpPort(), "/v2/models/add_sub/infer", "{\"inputs\":[]}", "x-sla-tier", "silver");
    send(server.httpPort(), "/v2/models/add_sub/infer", echoBody(), "x-sla-tier", "platinum");
    send(server.httpPort(), "/v2/models/nonesuch/infer", echoBody());

    String text = scrape();

    assertThat(text).contains(
        "yardmaster_requests_total{model=\"add_sub\",outcome=\"success\",pool=\"local\",tier=\"gold\"} 2",
        "yardmaster_requests_total{model=\"add_sub\",outcome=\"invalid_argument\",pool=\"local\",tier=\"silver\"} 1",
        "yardmaster_requests_total{model=\"add_sub\",outcome=\"invalid_argument\",pool=\"local\",tier=\"unknown\"} 1",
        "yardmaster_requests_total{model=\"unknown\",outcome=\"not_found\",pool=\"local\",tier=\"bronze\"} 1",
        "yardmaster_route_decisions_total{reason=\"local\"}");
    assertThat(text).doesNotContain("model=\"nonesuch\"");
    assertThat(text).containsPattern(
        "yardmaster_request_latency_seconds_bucket\\{pool=\"local\",tier=\"gold\",le=\"0\\.05\"} [1-9]");
    assertThat(text).contains("yardmaster_request_latency_seconds_bucket{pool=\"local\",tier=\"silver\",le=\"0.15\"}");
    assertThat(text).containsPattern("yardmaster_request_latency_seconds_count\\{pool=\"local\",tier=\"gold\"} [1-9]");
  }

  @Test
  void aGoldRequestSlowerThanItsBudgetIsAnSlaViolation() throws Exception {
    double violationsBefore = value(scrape(), "yardmaster_sla_violations_total{tier=\"gold\"}");
    FakeModel slow = manager.model("slow", "1");
    CompletableFuture<Void> gate = slow.closeGate();
    CompletableFuture<HttpResponse<String>> response = CompletableFuture.supplyAsync(() -> {
      try {
        return send(server.httpPort(), "/v2/models/slow/infer", echoBody(), "x-sla-tier", "gold");
      } catch (Exception failure) {
        throw new IllegalStateException(failure);
      }
    });
    long waitUntil = System.nanoTime() + 5_000_000_000L;
    while (slow.inFlightRequests() == 0 && System.nanoTime() < waitUntil) {
      Thread.onSpinWait();
    }
    Thread.sleep(60); // beyond gold's 50 ms budget: the one wait this scenario needs
    gate.complete(null);
    assertThat(response.get().statusCode()).isEqualTo(200);

    String text = scrape();

    assertThat(value(text, "yardmaster_sla_violations_total{tier=\"gold\"}")).isEqualTo(violationsBefore + 1);
    assertThat(value(text, "yardmaster_sla_violations_total{tier=\"bronze\"}")).isZero();
    assertThat(text).contains("yardmaster_requests_total{model=\"slow\",outcome=\"success\",pool=\"local\",tier=\"gold\"} 1");
  }
}
