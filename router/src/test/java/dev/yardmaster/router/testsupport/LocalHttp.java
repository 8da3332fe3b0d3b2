package dev.yardmaster.router.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP/1.1 calls to a server's HTTP port on 127.0.0.1, each bounded to 30 s. */
public final class LocalHttp {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient CLIENT = Http11.client();

  private final int port;

  public LocalHttp(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code json} with {@code content-type: application/json}. */
  public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return CLIENT.send(request(path).POST(HttpRequest.BodyPublishers.ofString(json))
        .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code body} with the given header name and value pairs; the answer as bytes. */
  public HttpResponse<byte[]> post(String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
  }
}
