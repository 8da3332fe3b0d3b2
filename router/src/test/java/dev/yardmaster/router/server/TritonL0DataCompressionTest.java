package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.JSON;
import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static dev.yardmaster.router.server.BinaryInferBody.toFloats;
import static dev.yardmaster.router.server.BinaryTensorDataHttpTest.HEADER_LENGTH;
import static dev.yardmaster.router.server.BinaryTensorDataHttpTest.compress;
import static dev.yardmaster.router.server.BinaryTensorDataHttpTest.decompress;
import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static dev.yardmaster.router.server.TritonRequests.FP32;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.server.BinaryInferBody.Response;
import dev.yardmaster.router.testsupport.LocalHttp;
import dev.yardmaster.router.testsupport.RawHttp;
import dev.yardmaster.router.testsupport.RepositoryServers;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ports of Triton's {@code qa/L0_data_compression}: {@code test.sh}'s runs of {@code
 * simple_http_infer_client} (Python and C++) with every request and response compression it tries,
 * and {@code data_compressor_test.cc}'s cases (one buffer, two buffers, a large buffer, data
 * compressed by another tool, compressed data read by another tool) as inference bodies compressed
 * by the JDK and answers decompressed by it. add_sub stands for Triton's {@code simple} (FP32 where
 * {@code simple} is INT32). The bad bodies follow Triton's {@code src/http_server.cc} HandleInfer and
 * {@code DataCompressor::DecompressData}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0DataCompressionTest extends ServedTritonModels {

  private static final float[] ZERO_TO_15 = new float[16];
  private static final float[] ONES = new float[16];

  static {
    for (int i = 0; i < 16; i++) {
      ZERO_TO_15[i] = i;
      ONES[i] = 1;
    }
  }

  /** simple_http_infer_client's request: INPUT0 as JSON, INPUT1 binary; OUTPUT0 binary, OUTPUT1 JSON. */
  private static BinaryInferBody simpleRequest() throws Exception {
    return new BinaryInferBody()
        .jsonInput("INPUT0", "FP32", new long[] {1, 16}, JSON.writeValueAsString(ZERO_TO_15))
        .binaryInput("INPUT1", "FP32", new long[] {1, 16}, floats(ONES))
        .output("OUTPUT0", true)
        .output("OUTPUT1", false);
  }

  /** POSTs {@code body} to the model's infer endpoint with the given header pairs. */
  private static HttpResponse<byte[]> post(String model, byte[] body, String... headers) throws Exception {
    return new LocalHttp(server.httpPort()).post("/v2/models/" + model + "/infer", body, headers);
  }

  /** The body as tritonclient reads it: decompressed when the answer says it is. */
  private static byte[] decoded(HttpResponse<byte[]> answer) throws Exception {
    String encoding = answer.headers().firstValue("content-encoding").orElse(null);
    return encoding == null ? answer.body() : decompress(encoding, answer.body());
  }

  private static String error(HttpResponse<byte[]> answer) throws Exception {
    return JSON.readTree(answer.body()).get("error").asText();
  }

  // test.sh: simple_http_infer_client.py --request-compression-algorithm / --response-compression-algorithm,
  // and simple_http_infer_client -i / -o, each combination test.sh runs.
  @ParameterizedTest(name = "request {0}, response {1}")
  @CsvSource(nullValues = "none", value = {
      "none, none", "deflate, none", "gzip, none", "none, deflate", "none, gzip", "deflate, gzip", "gzip, deflate"})
  void simpleClientWithEachCompression(@Nullable String request, @Nullable String response) throws Exception {
    BinaryInferBody body = simpleRequest();
    List<String> headers = new ArrayList<>(List.of(HEADER_LENGTH, Integer.toString(body.json().length),
        "Content-Type", "application/octet-stream"));
    if (request != null) {
      headers.addAll(List.of("Content-Encoding", request));
    }
    if (response != null) {
      headers.addAll(List.of("Accept-Encoding", response));
    }

    HttpResponse<byte[]> answer = post(ADD_SUB, request == null ? body.body() : compress(request, body.body()),
        headers.toArray(String[]::new));

    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.ISO_8859_1)).isEqualTo(200);
    // as Triton's InferRequestClass, every successful answer is compressed as Accept-Encoding asks
    assertThat(answer.headers().firstValue("content-encoding")).isEqualTo(java.util.Optional.ofNullable(response));
    Response parsed = Response.parse(decoded(answer), answer.headers().firstValue(HEADER_LENGTH).orElseThrow());
    float[] sums = new float[16];
    float[] differences = new float[16];
    for (int i = 0; i < 16; i++) {
      sums[i] = ZERO_TO_15[i] + ONES[i];
      differences[i] = ZERO_TO_15[i] - ONES[i];
    }
    assertThat(toFloats(parsed.binaryOutputs().get("OUTPUT0"))).containsExactly(sums);
    float[] json = new float[16];
    for (int i = 0; i < 16; i++) {
      json[i] = (float) parsed.output("OUTPUT1").get("data").get(i).asDouble();
    }
    assertThat(json).containsExactly(differences);
  }

  // data_compressor_test.cc DeflateTwoBuffer and GzipTwoBuffer: the compressed body arrives in two
  // chunks, split in the middle, and decompresses whole.
  @ParameterizedTest(name = "{0}")
  @CsvSource({"deflate", "gzip"})
  void bodyCompressedInTwoChunks(String encoding) throws Exception {
    BinaryInferBody body = simpleRequest();
    byte[] compressed = compress(encoding, body.body());
    int half = compressed.length / 2;

    String answer = RawHttp.exchange(server.httpPort(), "POST /v2/models/" + ADD_SUB + "/infer HTTP/1.1",
        new String[] {HEADER_LENGTH + ": " + body.json().length, "Content-Encoding: " + encoding,
            "Transfer-Encoding: chunked"},
        RawHttp.chunked(Arrays.copyOf(compressed, half), Arrays.copyOfRange(compressed, half, compressed.length)));

    assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
  }

  // data_compressor_test.cc DeflateOneLargeBuffer and GzipOneLargeBuffer (Triton's 2^20 copies of a
  // line of text, 44 MB): a 16 MiB tensor of repeated values each way, compressed to a small share of its size.
  @ParameterizedTest(name = "{0}")
  @CsvSource({"deflate", "gzip"})
  void largeTensorBothWays(String encoding) throws Exception {
    float[] values = new float[4 << 20];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 44;
    }
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", new long[] {1, values.length}, floats(values)).output("OUTPUT0", true);
    byte[] compressed = compress(encoding, body.body());
    assertThat(compressed.length).isLessThan(body.body().length / 2);

    HttpResponse<byte[]> answer = post(FP32, compressed, HEADER_LENGTH, Integer.toString(body.json().length),
        "Content-Encoding", encoding, "Accept-Encoding", encoding);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-encoding")).hasValue(encoding);
    assertThat(answer.body().length).isLessThan(values.length * Float.BYTES / 2);
    Response parsed = Response.parse(decoded(answer), answer.headers().firstValue(HEADER_LENGTH).orElseThrow());
    float[] output = toFloats(parsed.binaryOutputs().get("OUTPUT0"));
    assertThat(output).hasSameSizeAs(values);
    assertThat(Arrays.mismatch(output, values)).as("first element that differs").isEqualTo(-1);
  }

  // http_server.cc HandleInfer: a Content-Encoding other than gzip, deflate or identity is 415
  // Unsupported Media Type, with the encodings Triton takes in Accept-Encoding.
  @Test
  void unknownContentEncodingIs415ListingTheSupportedOnes() throws Exception {
    BinaryInferBody body = simpleRequest();
    for (String encoding : new String[] {"br", "compress", "x-gzip-typo"}) {
      HttpResponse<byte[]> answer = post(ADD_SUB, body.body(), HEADER_LENGTH, Integer.toString(body.json().length),
          "Content-Encoding", encoding);

      assertThat(answer.statusCode()).as(encoding).isEqualTo(415);
      assertThat(answer.headers().firstValue("accept-encoding")).hasValue("gzip, deflate");
      assertThat(error(answer)).isEqualTo("request header Content-Encoding: " + encoding
          + " (expected: one of gzip, deflate, or identity)");
    }
    assertSimpleServes();
  }

  // DataCompressor::DecompressData: an empty compressed body is "nothing to be decompressed" (400).
  @ParameterizedTest(name = "{0}")
  @CsvSource({"deflate", "gzip"})
  void emptyCompressedBodyIs400(String encoding) throws Exception {
    HttpResponse<byte[]> answer = post(ADD_SUB, new byte[0], "Content-Encoding", encoding);

    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(400);
    assertThat(error(answer)).isNotBlank();
    assertSimpleServes();
  }

  // DataCompressor::DecompressData: bytes that are not the encoding's do not decode, and the request
  // is a 400 naming the encoding; a stream cut short decodes to a short body, a 400 for its size.
  @ParameterizedTest(name = "{0}")
  @CsvSource({"deflate", "gzip"})
  void corruptCompressedBodyIs400NamingTheEncoding(String encoding) throws Exception {
    BinaryInferBody body = simpleRequest();
    byte[] compressed = compress(encoding, body.body());
    byte[] corrupt = compressed.clone();
    for (int i = 2; i < corrupt.length; i += 3) {
      corrupt[i] ^= 0x5a;
    }
    String headerLength = Integer.toString(body.json().length);

    for (byte[] bad : new byte[][] {corrupt, body.body()}) {
      HttpResponse<byte[]> answer = post(ADD_SUB, bad, HEADER_LENGTH, headerLength, "Content-Encoding", encoding);

      assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(400);
      assertThat(error(answer)).startsWith("request body: not " + encoding + " data (expected: a body compressed as "
          + "its Content-Encoding: " + encoding + " says; ");
    }
    HttpResponse<byte[]> truncated = post(ADD_SUB, Arrays.copyOf(compressed, compressed.length / 2), HEADER_LENGTH,
        headerLength, "Content-Encoding", encoding);
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(error(truncated)).startsWith("Inference-Header-Content-Length: " + headerLength);
    assertSimpleServes();
  }

  // Triton bounds the body as received; here the decompressed body is bounded by the same limit, so a
  // small body that inflates past it (a compression bomb) is refused with 413 naming the limit.
  @Test
  void bodyInflatingPastTheLimitIs413() throws Exception {
    int limit = 1 << 20;
    try (YardmasterServer small = RepositoryServers.serveAll(repository, limit)) {
      ByteArrayOutputStream bomb = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
        byte[] zeros = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
          gzip.write(zeros); // 4 MiB of zeros, about 4 KiB compressed
        }
      }
      HttpResponse<byte[]> answer = new LocalHttp(small.httpPort()).post("/v2/models/" + FP32 + "/infer",
          bomb.toByteArray(), HEADER_LENGTH, "0", "Content-Encoding", "gzip");

      assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(413);
      assertThat(error(answer)).contains("more than " + limit + " bytes");
    }
  }

  private static void assertSimpleServes() throws Exception {
    BinaryInferBody body = simpleRequest();
    assertThat(post(ADD_SUB, body.body(), HEADER_LENGTH, Integer.toString(body.json().length)).statusCode())
        .isEqualTo(200);
  }
}
