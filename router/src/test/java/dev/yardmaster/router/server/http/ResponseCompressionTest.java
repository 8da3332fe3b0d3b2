package dev.yardmaster.router.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.server.http.ResponseCompression.Encoding;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseCompressionTest {

  @ParameterizedTest(name = "Accept-Encoding: {0}")
  @CsvSource(delimiter = '|', value = {
      "gzip|GZIP",
      "deflate|DEFLATE",
      "gzip, deflate|GZIP",
      "deflate, gzip|DEFLATE",
      "gzip;q=0.5, deflate|DEFLATE",
      "gzip;q=0|IDENTITY",
      "identity, gzip|IDENTITY",
      "br, gzip;q=0.8|GZIP",
      "br|IDENTITY",
      "*|IDENTITY",
      "GZIP ; Q=0.3|GZIP",
      "gzip;q=abc|IDENTITY"})
  void choosesTheHighestWeightedKnownEncodingFirstOnTies(String acceptEncoding, Encoding expected) {
    assertThat(ResponseCompression.negotiate(acceptEncoding)).isEqualTo(expected);
  }

  @Test
  void noHeaderIsIdentity() {
    assertThat(ResponseCompression.negotiate(null)).isEqualTo(Encoding.IDENTITY);
  }

  @Test
  void compressesReadably() throws Exception {
    byte[] body = "{\"outputs\":[]}".repeat(100).getBytes(StandardCharsets.UTF_8);

    byte[] gzip = ResponseCompression.compress(Encoding.GZIP, body);
    byte[] deflate = ResponseCompression.compress(Encoding.DEFLATE, body);

    assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes()).isEqualTo(body);
    assertThat(new InflaterInputStream(new ByteArrayInputStream(deflate)).readAllBytes()).isEqualTo(body);
    assertThat(gzip.length).isLessThan(body.length / 4);
  }
}
