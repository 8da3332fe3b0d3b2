package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.TritonRequests.STRINGS;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.serialized;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static dev.yardmaster.router.server.TritonRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_string_io/string_client_test.py} (ClientStringTest) on the ONNX
 * identity model of BYTES ([-1,-1], no batching; Triton's is graphdef_nobatch_zero_1_object): eight
 * strings come back unchanged over gRPC (raw and typed contents) and HTTP (JSON and binary tensor
 * data). Byte strings that are not UTF-8 are refused, naming the element (Triton passes them on;
 * ONNX Runtime's Java API cannot).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TritonL0StringIoTest extends ServedTritonModels {

  /** From _test_unicode_bytes_dtype: serialized protobufs, not UTF-8, some ending in \x00. */
  private static final byte[][] NOT_UTF8 = {
      {'\n', 'F', '\n', '\'', '\n', 1, 'a', 0x12, '"', 0x1a, ' ', (byte) 0xfa, 0x03, (byte) 0x94},
      {'\n', ':', '\n', 0x1a, '\n', 1, 'a', 0x12, 0x15, 0x1a, 0x13, (byte) 0xe3, 0x05, (byte) 0xc5},
      {'\n', 'L', '\n', '-', (byte) 0x87, 0x07, (byte) 0xce, 0x01, (byte) 0xe7, 0x06, (byte) 0xee},
      {'\n', '2', '\n', 0x12, (byte) 0x99, 0x02, (byte) 0xde, 0x04, (byte) 0x9f, 0x04, 0x12, 0x07},
      {'\n', 'J', '\n', '\r', (byte) 0x9b, (byte) 0x94, (byte) 0xad, 0x04, (byte) 0xc3, (byte) 0x8a},
      {'\n', '3', 0x13, '<', (byte) 0xe2, 0x05, (byte) 0x8a, 0x01, 0x1b, (byte) 0x93, '1', (byte) 0xbf, 0, 0},
      {'\n', '&', 0x07, '{', (byte) 0xbc, 0x0e, '>', 0, 0, 0},
      {'\n', 'F', (byte) 0x97, 0x01, (byte) 0x93, 0x02, (byte) 0xfb, (byte) 0x87, (byte) 0x83, (byte) 0xbf}};
  /** The first element of {@link #NOT_UTF8} that is not UTF-8 (0xfa starts no UTF-8 sequence). */
  private static final int FIRST_NOT_UTF8 = 0;
  /** From _test_str_dtype: str(i) for i in 10000..10007. */
  private static final String[] NUMBERS = {"10000", "10001", "10002", "10003", "10004", "10005", "10006", "10007"};


  // _test_str_dtype with the gRPC client (raw_input_contents).
  @Test
  void stringsRoundTripOverGrpcRaw() {
    for (byte[][] elements : List.of(utf8(NUMBERS), utf8("he\u0000llo", "", "x", "y", "z", "\u00e9", "7", "8"))) {
      ByteString data = serialized(elements);

      ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
          .addInputs(tensor("INPUT0", "BYTES", 1, 8)).addRawInputContents(data).build());

      assertThat(answer.getRawOutputContents(0)).isEqualTo(data);
      assertThat(answer.getOutputs(0).getDatatype()).isEqualTo("BYTES");
    }
  }

  // The same with typed bytes_contents, which the answer then uses too.
  @Test
  void stringsRoundTripOverGrpcTypedContents() {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (byte[] element : utf8(NUMBERS)) {
      contents.addBytesContents(ByteString.copyFrom(element));
    }

    ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 8).setContents(contents)).build());

    // answered raw, length-prefixed, as Triton's gRPC front end answers
    assertThat(answer.getRawOutputContents(0)).isEqualTo(serialized(utf8(NUMBERS)));
  }

  // _test_str_dtype with the HTTP client of binary input and binary output.
  @Test
  void stringsRoundTripOverHttpBinary() throws Exception {
    byte[] data = serialized(utf8(NUMBERS)).toByteArray();
    BinaryInferBody body = new BinaryInferBody().binaryInput("INPUT0", "BYTES", new long[] {1, 8}, data)
        .output("OUTPUT0", true);

    byte[] output = BinaryTensorDataHttpTest.parse(httpInfer(server.httpPort(), STRINGS, body))
        .binaryOutputs().get("OUTPUT0");

    assertThat(output).isEqualTo(data);
  }

  // _test_str_dtype with the HTTP clients that send or answer JSON: UTF-8 strings pass every way.
  @Test
  void stringsRoundTripOverHttpJson() throws Exception {
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,8],\"datatype\":\"BYTES\",\"data\":"
        + BinaryInferBody.JSON.writeValueAsString(NUMBERS) + "}]}";

    HttpResponse<String> answer = httpInfer(server.httpPort(), STRINGS, json);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    List<String> data = new ArrayList<>();
    for (JsonNode element : BinaryInferBody.JSON.readTree(answer.body()).at("/outputs/0/data")) {
      data.add(element.asText());
    }
    assertThat(data).containsExactly(NUMBERS);
  }

  // _test_unicode_bytes_dtype with the gRPC client and the binary HTTP client: Triton hands each
  // element to ORT as bytes (FillStringTensor), so bytes that are not UTF-8 come back unchanged.
  // ONNX Runtime's Java API takes string tensors only as java.lang.String, so they could reach the
  // model only altered (U+FFFD for each invalid sequence); Yardmaster refuses them instead, naming
  // the input and element, and keeps serving.
  @Test
  void nonUtf8BytesAreRefusedNamingTheElementOverGrpcAndHttpBinary() throws Exception {
    ByteString data = serialized(NOT_UTF8);

    assertThatThrownBy(() -> grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 8)).addRawInputContents(data).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, error -> {
          assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(error.getStatus().getDescription())
              .startsWith("input 'INPUT0' BYTES element " + FIRST_NOT_UTF8 + ": not valid UTF-8 (expected: UTF-8 text;");
        });
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "BYTES", new long[] {1, 8}, data.toByteArray()).output("OUTPUT0", true);
    HttpResponse<byte[]> answer = httpInfer(server.httpPort(), STRINGS, body);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("BYTES element " + FIRST_NOT_UTF8
        + ": not valid UTF-8");

    ModelInferResponse served = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 8)).addRawInputContents(serialized(utf8(NUMBERS))).build());
    assertThat(served.getRawOutputContents(0)).isEqualTo(serialized(utf8(NUMBERS)));
  }
}
