package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Port of Triton's {@code qa/L0_http_fuzz/fuzztest.py} (FuzzTest.test_failures_from_db): boofuzz
 * fuzzes the request line ({@code Method SP Request-URI SP HTTP-Version CRLF}) of each KServe v2 URL
 * test.sh's server knows, one part at a time, and Triton passes when no request fails the server.
 * Here each part goes through a fixed list of malformed values in boofuzz's manner (every method,
 * then replacements and additions for the URI, the two delimiters and the version), then seeded
 * random bytes over the whole line; every request gets a status line from the server, never a 5xx,
 * one with a malformed URI a 4xx, and the server answers a health check after each URL and an
 * inference after all of them (about 1,200 requests, each on its own connection). {@code simple} is add_sub here; the shared memory URLs name extensions this
 * server does not have.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0HttpFuzzTest extends ServedTritonModels {

  private static final long SEED = 20261208L;
  /** Seeded random request lines per URL, on top of the fixed list. */
  private static final int RANDOM_PER_URL = 8;

  /** fuzztest.py's url_list, with Triton's simple model as add_sub. */
  private static final List<String> URLS = List.of("/v2", "/v2/models/simple", "/v2/models/simple/infer",
      "/v2/models/simple/versions/v1", "/v2/models/simple/config", "/v2/models/simple/stats",
      "/v2/models/simple/ready", "/v2/health/ready", "/v2/health/live", "/v2/repository/index",
      "/v2/repository/models/simple/unload", "/v2/repository/models/simple/load", "/v2/systemsharedmemory/status",
      "/v2/systemsharedmemory/register", "/v2/systemsharedmemory/unregister",
      "/v2/systemsharedmemory/region/xx/status", "/v2/cudasharedmemory/status", "/v2/cudasharedmemory/register",
      "/v2/cudasharedmemory/unregister", "/v2/cudasharedmemory/region/xx/status");
  /** fuzztest.py's s_group "Method". */
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE");
  /** Values that replace the URI or the version whole, as boofuzz's string library does. */
  private static final List<String> REPLACEMENTS = List.of("", " ", "*", "/", "//", "\\", "..", "/../../../../etc/passwd",
      "%s%s%s%s%n", "%00", "%", "%zz", "%%%%", "\u0000", "\r", "\n", "\t", "<script>", "'\"`;|&$()", "{}[]^",
      "A".repeat(1024), "A".repeat(9000), "/".repeat(600), "%25%32%35".repeat(200), "\u00ff\u00fe\u0080",
      "HTTP/1.1", "-1", "99999999999999999999999999", "?", "#", "?a=%ZZ&&==", "\u00e9t\u00e9");
  /** Values appended to the URI or the version, as boofuzz's long-string variants of the default. */
  private static final List<String> ADDITIONS = List.of("/", "/..", "/../..", "?x", "#x", "%00", "\u0000", "%",
      ";", " x", "\u00ff", "/" + "A".repeat(5000), "/versions/1/infer", "/versions/-1", "/versions/1a",
      "~", "\r\nX-Injected: 1");
  /** Values of each delimiter, as boofuzz's s_delim library. */
  private static final List<String> DELIMITERS = List.of("", "  ", "\t", " ".repeat(300), "\r\n", "\n", "\r", "\u0000",
      "\u000b");
  /** Values of the version. */
  private static final List<String> VERSIONS = List.of("HTTP/9.9", "HTTP/1.1".repeat(100), "HTTP/", "http/1.1",
      "HTTP/1", "HTTP/1.1.1", "HTTP/2.0", "HTTP/0.9", "FOO/1.1", "HTTP/-1.1", "HTTP/1.1\u0000", "", "%s%n",
      "A".repeat(5000));

  /**
   * One request line of the fuzz: the bytes sent, and whether it must be refused. A URI that is not
   * an origin form of visible ASCII must be; the version token and the whitespace around the tokens
   * are read leniently (see the README's kept differences), so lines malformed only there may be served.
   */
  private record Line(byte[] bytes, boolean mustRefuse) {
    static Line of(String method, String space1, String uri, String space2, String version) {
      boolean badUri = !uri.startsWith("/") || !uri.chars().allMatch(c -> c > 0x20 && c < 0x7f);
      return new Line((method + space1 + uri + space2 + version).getBytes(StandardCharsets.ISO_8859_1), badUri);
    }

    String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n")
          .replace("\u0000", "\\0");
    }
  }

  @Test
  void fuzzedRequestLinesAreAnsweredWithoutServerErrorsAndTheServerKeepsServing() throws Exception {
    Random random = new Random(SEED);
    TreeMap<Integer, Integer> statuses = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (String tritonUrl : URLS) {
      String url = tritonUrl.replace("simple", ADD_SUB);
      List<Line> lines = lines(url, random);
      if (tritonUrl.equals(URLS.get(0))) {
        // the URI's replacements are the same lines whatever the URL: sent once
        for (String uri : REPLACEMENTS) {
          lines.add(Line.of("GET", " ", uri, " ", "HTTP/1.1"));
        }
      }
      for (Line line : lines) {
        String answer = RawHttp.exchange(server.httpPort(), line.bytes(), new String[0], out -> {});

        if (!answer.startsWith("HTTP/1.")) {
          wrong.add(line.text() + " -> no status line: " + answer);
          continue;
        }
        int status = RawHttp.status(answer);
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500 || (line.mustRefuse() && status < 400)) {
          wrong.add(line.text() + " -> " + firstLine(answer) + " " + RawHttp.body(answer));
        }
      }
      assertThat(new LocalHttp(server.httpPort()).get("/v2/health/ready").statusCode()).as("ready after %s", url)
          .isEqualTo(200);
    }
    assertThat(wrong).as("answers that are 5xx, or not 4xx to a malformed URI").isEmpty();
    assertThat(statuses.keySet()).as("statuses: %s", statuses).contains(400, 404);
    assertThat(TritonRequests.httpInfer(server.httpPort(), ADD_SUB, new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", new long[] {1, 16}, BinaryInferBody.floats(new float[16]))
        .binaryInput("INPUT1", "FP32", new long[] {1, 16}, BinaryInferBody.floats(new float[16]))).statusCode())
        .as("infer after the fuzz").isEqualTo(200);
  }

  /** The fixed list for one URL, one part at a time (the others at their defaults), then seeded random lines. */
  private static List<Line> lines(String url, Random random) {
    List<Line> lines = new ArrayList<>();
    for (String method : METHODS) {
      lines.add(Line.of(method, " ", url, " ", "HTTP/1.1"));
    }
    for (String addition : ADDITIONS) {
      lines.add(Line.of("GET", " ", url + addition, " ", "HTTP/1.1"));
    }
    for (String delimiter : DELIMITERS) {
      lines.add(Line.of("GET", delimiter, url, " ", "HTTP/1.1"));
      lines.add(Line.of("GET", " ", url, delimiter, "HTTP/1.1"));
    }
    for (String version : VERSIONS) {
      lines.add(Line.of("GET", " ", url, " ", version));
    }
    byte[] valid = Line.of("GET", " ", url, " ", "HTTP/1.1").bytes();
    for (int i = 0; i < RANDOM_PER_URL; i++) {
      lines.add(new Line(randomBytes(valid, random), false));
    }
    return lines;
  }

  /** The line with one to four control or non-ASCII bytes overwritten or inserted. */
  private static byte[] randomBytes(byte[] line, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = random.nextInt(line.length);
    out.write(line, 0, at);
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      out.write(random.nextBoolean() ? random.nextInt(0x20) : 0x80 + random.nextInt(0x80)); // control or non-ASCII
    }
    int skip = random.nextBoolean() ? 1 : 0; // overwrite one byte or insert
    out.write(line, Math.min(line.length, at + skip), line.length - Math.min(line.length, at + skip));
    return out.toByteArray();
  }

  private static String firstLine(String answer) {
    int end = answer.indexOf("\r\n");
    return end < 0 ? answer : answer.substring(0, end);
  }
}
