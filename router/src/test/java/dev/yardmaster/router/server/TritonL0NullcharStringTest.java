package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.STRINGS;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.serialized;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static dev.yardmaster.router.server.TritonRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_nullchar_string/nullchar_string_client.py} on the ONNX identity
 * model of BYTES: the string "abc\0def", a NUL in its middle, comes back byte for byte over gRPC
 * (raw and typed contents) and HTTP (binary and JSON). Triton runs this test on its TensorFlow
 * models only, since its ONNX Runtime backend passes strings as C strings and cuts them at the NUL
 * (test.sh; onnxruntime issue 2284); ONNX Runtime's Java API takes Java strings, so here it holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0NullcharStringTest extends ServedTritonModels {

  private static final String NULLCHAR = "abc\0def";
  private static final ByteString DATA = serialized(utf8(NULLCHAR));

  // nullchar_string_client.py -i grpc: the input as raw_input_contents.
  @Test
  void nulCharacterRoundTripsOverGrpcRaw() {
    ByteString output = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 1)).addRawInputContents(DATA).build()).getRawOutputContents(0);

    assertThat(output).isEqualTo(DATA);
  }

  // The same with typed bytes_contents, which a KServe v2 gRPC client may send instead.
  @Test
  void nulCharacterRoundTripsOverGrpcTypedContents() {
    InferTensorContents contents = InferTensorContents.newBuilder()
        .addBytesContents(ByteString.copyFromUtf8(NULLCHAR)).build();

    ByteString output = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 1).setContents(contents)).build()).getRawOutputContents(0);

    assertThat(output).isEqualTo(DATA);
  }

  // nullchar_string_client.py over HTTP: tritonclient.http sends and asks for binary data.
  @Test
  void nulCharacterRoundTripsOverHttpBinary() throws Exception {
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "BYTES", new long[] {1, 1}, DATA.toByteArray()).output("OUTPUT0", true);

    byte[] output = BinaryTensorDataHttpTest.parse(httpInfer(server.httpPort(), STRINGS, body))
        .binaryOutputs().get("OUTPUT0");

    assertThat(output).isEqualTo(DATA.toByteArray());
  }

  // With JSON tensors the NUL travels as the escape \u0000 both ways.
  @Test
  void nulCharacterRoundTripsOverHttpJson() throws Exception {
    HttpResponse<String> answer = httpInfer(server.httpPort(), STRINGS,
        "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\"abc\\u0000def\"]}]}");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"data\":[\"abc\\u0000def\"]");
    assertThat(BinaryInferBody.JSON.readTree(answer.body()).at("/outputs/0/data/0").asText()).isEqualTo(NULLCHAR);
  }
}
