package dev.yardmaster.router.testsupport;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client of the tests: HTTP/1.1, as tritonclient's HTTP client and Prometheus speak it. The
 * JDK client's default (HTTP/2 through an h2c upgrade) hung tests against a loaded box, once for
 * its whole timeout and once until the server's idle timeout closed the connection.
 */
public final class Http11 {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private Http11() {}

  /** A new HTTP/1.1 client with a 5 s connect timeout. */
  public static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
  }
}
