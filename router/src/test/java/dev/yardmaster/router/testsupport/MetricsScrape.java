package dev.yardmaster.router.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads a server's Prometheus text as Prometheus does: a plain HTTP/1.1 GET of {@code /metrics},
 * bounded in time. The JDK client's default (HTTP/2 via an h2c upgrade) once hung a test for its
 * whole 60 s timeout against a loaded box.
 */
public final class MetricsScrape {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  private MetricsScrape() {}

  /** The body of {@code http://127.0.0.1:port/metrics}. */
  public static String of(int port) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(TIMEOUT).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
