package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.BinaryInferBody.floats;
import static dev.yardmaster.router.server.TritonRequests.ADD_SUB;
import static dev.yardmaster.router.server.TritonRequests.FP32;
import static dev.yardmaster.router.server.TritonRequests.OPTIONAL;
import static dev.yardmaster.router.server.TritonRequests.STRINGS;
import static dev.yardmaster.router.server.TritonRequests.addSubRow;
import static dev.yardmaster.router.server.TritonRequests.grpcError;
import static dev.yardmaster.router.server.TritonRequests.grpcInfer;
import static dev.yardmaster.router.server.TritonRequests.http400;
import static dev.yardmaster.router.server.TritonRequests.httpInfer;
import static dev.yardmaster.router.server.TritonRequests.raw;
import static dev.yardmaster.router.server.TritonRequests.repeat;
import static dev.yardmaster.router.server.TritonRequests.serialized;
import static dev.yardmaster.router.server.TritonRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.InferTensorContents;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of Triton's {@code qa/L0_input_validation}: {@code input_validation_test.py} (InputValTest,
 * InputShapeTest), the core's {@code src/test/input_byte_size_test.cc} that its {@code test.sh}
 * runs, and the checks of the core's {@code InferenceRequest::Normalize} / {@code
 * ValidateRequestInputs} / {@code ValidateBytesInputs} they exercise, on ONNX models over real gRPC
 * and HTTP. Triton answers each with INVALID_ARG (gRPC INVALID_ARGUMENT, HTTP 400); the messages
 * are ours, so each case asserts the status and that the message names the same tensor and problem.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TritonL0InputValidationTest extends ServedTritonModels {

  private static void assertInvalid(Status status, String... named) {
    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains(named);
  }

  // input_validation_test.py InputValTest.test_input_validation_required_empty: no inputs, every
  // required input named ("missing required input(s) ['INPUT0','INPUT1','INPUT2']").
  @Test
  void requiredEmptyNamesEveryMissingInput() {
    Status status = grpcError(channel, ModelInferRequest.newBuilder().setModelName(ADD_SUB).build());

    assertInvalid(status, "'INPUT0'", "'INPUT1'", "missing");
  }

  // InputValTest.test_input_validation_required_missing: INPUT0 only, the missing ones named.
  @Test
  void requiredMissingNamesTheMissingInputOverGrpcAndHttp() throws Exception {
    ModelInferRequest onlyInput0 = ModelInferRequest.newBuilder().setModelName(ADD_SUB)
        .addInputs(tensor("INPUT0", "FP32", 1, 16)).addRawInputContents(raw(16)).build();

    assertInvalid(grpcError(channel, onlyInput0), "'INPUT1'", "missing");
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[1,16],\"datatype\":\"FP32\",\"data\":"
        + "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]}";
    assertThat(http400(httpInfer(server.httpPort(), ADD_SUB, json))).contains("'INPUT1'", "missing")
        .doesNotContain("'INPUT0'");
  }

  // InputValTest.test_input_validation_optional (model input_optional): only an optional input
  // given, so the required ones are named as missing; the optional one is not.
  @Test
  void optionalGivenRequiredMissingNamesOnlyTheRequiredInput() {
    ModelInferRequest onlyOptional = ModelInferRequest.newBuilder().setModelName(OPTIONAL)
        .addInputs(tensor("INITIALIZER", "FP32", 5, 5)).addRawInputContents(raw(25)).build();

    Status status = grpcError(channel, onlyOptional);

    assertInvalid(status, "'INPUT'", "missing");
    assertThat(status.getDescription()).doesNotContain("'INITIALIZER'");
  }

  // InputShapeTest.test_input_shape_validation: data of 10 elements sent with the shape of 8
  // ("input byte size mismatch for input 'INPUT0' ... Expected 32, got 40"); here 16 vs 18 floats.
  @Test
  void moreDataThanTheShapeIsAByteSizeMismatchOverGrpcAndHttp() throws Exception {
    grpcInfer(channel, addSubRow().build()); // the same request with matching data passes

    Status status = grpcError(channel, addSubRow().setRawInputContents(0, raw(18)).build());

    assertInvalid(status, "'INPUT0'", "byte size", "72", "64");
    BinaryInferBody body = new BinaryInferBody()
        .binaryInput("INPUT0", "FP32", new long[] {1, 16}, floats(new float[18]))
        .binaryInput("INPUT1", "FP32", new long[] {1, 16}, floats(new float[16]));
    assertThat(http400(httpInfer(server.httpPort(), ADD_SUB, body))).contains("'INPUT0'", "64");
  }

  // InputShapeTest.test_client_input_shape_validation: dims [2,8] for [-1,16]
  // ("unexpected shape for input 'INPUT1' for model 'simple'. Expected [-1,16], got [2,8]").
  @Test
  void aShapeThatDoesNotMatchTheConfigNamesTheShapes() {
    Status status = grpcError(channel, addSubRow().setInputs(0, tensor("INPUT0", "FP32", 2, 8))
        .setInputs(1, tensor("INPUT1", "FP32", 2, 8)).build());

    assertInvalid(status, "'INPUT0'", "[2,8]", "[-1,16]");
  }

  // InputShapeTest.test_input_string_shape_validation, fewer elements than the shape
  // ("expected 16 string elements for inference input 'INPUT1' ..., got 14").
  @Test
  void fewerStringsThanTheShapeNamesTheInput() {
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 16))
        .addRawInputContents(serialized(repeat("7".getBytes(StandardCharsets.UTF_8), 14))).build();

    assertInvalid(grpcError(channel, request), "'INPUT0'", "BYTES", "16 elements");
  }

  // InputShapeTest.test_input_string_shape_validation, more elements than the shape
  // ("unexpected number of string elements 17 for inference input 'INPUT1' ..., expecting 16").
  @Test
  void moreStringsThanTheShapeNamesTheInput() {
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 16))
        .addRawInputContents(serialized(repeat("7".getBytes(StandardCharsets.UTF_8), 18))).build();

    assertInvalid(grpcError(channel, request), "'INPUT0'", "BYTES", "16");
  }

  // InputShapeTest.test_client_input_string_shape_validation: BYTES [2,8] with embedded nulls
  // ("he\x00llo") and binary blobs (0x00010203) pass, over gRPC and HTTP, binary and JSON.
  @Test
  void stringsWithEmbeddedNullsPassOverGrpcAndHttp() throws Exception {
    byte[] withNull = "he\u0000llo".getBytes(StandardCharsets.UTF_8);
    byte[] blob = {0, 1, 2, 3};
    for (byte[] element : new byte[][] {withNull, blob}) {
      ByteString data = serialized(repeat(element, 16));
      ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
          .addInputs(tensor("INPUT0", "BYTES", 2, 8)).addRawInputContents(data).build());
      assertThat(answer.getRawOutputContents(0)).isEqualTo(data);
      assertThat(answer.getOutputs(0).getShapeList()).containsExactly(2L, 8L);

      BinaryInferBody body = new BinaryInferBody()
          .binaryInput("INPUT0", "BYTES", new long[] {2, 8}, data.toByteArray()).output("OUTPUT0", true);
      assertThat(BinaryTensorDataHttpTest.parse(httpInfer(server.httpPort(), STRINGS, body))
          .binaryOutputs().get("OUTPUT0")).isEqualTo(data.toByteArray());
    }
    String json = "{\"inputs\":[{\"name\":\"INPUT0\",\"shape\":[2,8],\"datatype\":\"BYTES\",\"data\":"
        + BinaryInferBody.JSON.writeValueAsString(java.util.Collections.nCopies(16, "he\u0000llo")) + "}]}";
    var answer = httpInfer(server.httpPort(), STRINGS, json);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(BinaryInferBody.JSON.readTree(answer.body()).at("/outputs/0/data/15").asText()).isEqualTo("he\u0000llo");
  }

  // input_byte_size_test.cc ValidInputByteSize and InputByteSizeMismatch: FP32 [1,16] with 16
  // floats passes, with 17 ("input byte size mismatch for input 'INPUT0' ... Expected 64, got 68").
  @Test
  void fp32ByteSizeMatchesOrNamesBothSizes() {
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(FP32)
        .addInputs(tensor("INPUT0", "FP32", 1, 16)).addRawInputContents(raw(16));
    assertThat(grpcInfer(channel, request.build()).getRawOutputContents(0)).isEqualTo(raw(16));

    Status status = grpcError(channel, request.setRawInputContents(0, raw(17)).build());

    assertInvalid(status, "'INPUT0'", "68", "64");
  }

  // input_byte_size_test.cc ValidStringInputByteSize: three strings for [1,3] pass.
  @Test
  void threeStringsForShapeOneByThreePass() {
    ByteString data = serialized(repeat("Example input string".getBytes(StandardCharsets.UTF_8), 3));

    ModelInferResponse answer = grpcInfer(channel, ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 3)).addRawInputContents(data).build());

    assertThat(answer.getRawOutputContents(0)).isEqualTo(data);
  }

  // input_byte_size_test.cc StringCountMismatch: two strings for [1,3] ("expected 3 string
  // elements ..., got 2") and two strings for [1,1] ("unexpected number of string elements 2 ...,
  // expecting 1").
  @Test
  void aStringCountThatDoesNotMatchTheShapeNamesTheInput() {
    ByteString two = serialized(repeat("Example input string".getBytes(StandardCharsets.UTF_8), 2));
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addRawInputContents(two);

    assertInvalid(grpcError(channel, request.clone().addInputs(tensor("INPUT0", "BYTES", 1, 3)).build()),
        "'INPUT0'", "3 elements");
    assertInvalid(grpcError(channel, request.clone().addInputs(tensor("INPUT0", "BYTES", 1, 1)).build()),
        "'INPUT0'", "1 length-prefixed BYTES elements");
  }

  // input_byte_size_test.cc StringSizeMisalign: a 2-byte buffer where the 4-byte length is due
  // ("incomplete string length indicator for inference input 'INPUT0' ..., expecting 4 bytes but
  // only 2 bytes available").
  @Test
  void anIncompleteLengthPrefixNamesTheInput() {
    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(STRINGS)
        .addInputs(tensor("INPUT0", "BYTES", 1, 1)).addRawInputContents(ByteString.copyFrom(new byte[] {20, 0}))
        .build();

    assertInvalid(grpcError(channel, request), "'INPUT0'", "2 bytes left", "4-byte length prefix");
  }

  // input_byte_size_test.cc BatchSizeOverflowInt32: a batch of 2^31 rows on a batching model
  // ("inference request batch-size must be <= 8"), not a wrapped or negative batch.
  @Test
  void aBatchPastTheIntRangeIsAboveMaxBatchSize() {
    long rows = 1L << 31;
    Status status = grpcError(channel, addSubRow().setInputs(0, tensor("INPUT0", "FP32", rows, 16))
        .setInputs(1, tensor("INPUT1", "FP32", rows, 16)).build());

    assertInvalid(status, "'INPUT0'", "batch size", Long.toString(rows), "<= 64");
  }

  // Normalize: an input the model does not have ("unexpected inference input 'X' for model").
  @Test
  void anUnknownInputIsNamed() {
    Status status = grpcError(channel, addSubRow().setInputs(1, tensor("INPUT9", "FP32", 1, 16)).build());

    assertInvalid(status, "'INPUT9'", "unknown");
  }

  // AddOriginalInput: the same input twice ("input 'INPUT0' already exists in request").
  @Test
  void anInputGivenTwiceIsNamed() {
    Status status = grpcError(channel, addSubRow().addInputs(tensor("INPUT0", "FP32", 1, 16))
        .addRawInputContents(raw(16)).build());

    assertInvalid(status, "'INPUT0'", "twice");
  }

  // ValidateRequestInputs: a datatype other than the config's ("inference input 'INPUT0' data-type
  // is 'INT32', but model 'add_sub' expects 'FP32'").
  @Test
  void aDatatypeOtherThanTheConfigsNamesBoth() {
    Status status = grpcError(channel, addSubRow().setInputs(0, tensor("INPUT0", "INT32", 1, 16)).build());

    assertInvalid(status, "'INPUT0'", "INT32", "FP32");
  }

  // Normalize: inputs of different batch sizes ("input 'INPUT1' batch size does not match other
  // inputs for 'add_sub'").
  @Test
  void inputsOfDifferentBatchSizesNameTheInput() {
    Status status = grpcError(channel, addSubRow().setInputs(1, tensor("INPUT1", "FP32", 2, 16))
        .setRawInputContents(1, raw(32)).build());

    assertInvalid(status, "'INPUT1'", "batch size", "2", "1");
  }

  // Normalize: a batching model's input with no dims ("input 'INPUT0' has no shape but model
  // requires batch dimension for 'add_sub'").
  @Test
  void aScalarInputOfABatchingModelIsRefused() {
    Status status = grpcError(channel, addSubRow().setInputs(0, tensor("INPUT0", "FP32"))
        .setRawInputContents(0, raw(1)).build());

    assertInvalid(status, "'INPUT0'");
  }

  // ValidateRequestInputs: a -1 dim in the request ("All input dimensions should be specified for
  // input 'INPUT0' for model 'add_sub', got [-1,16]").
  @Test
  void aWildcardDimInTheRequestIsRefused() {
    Status status = grpcError(channel, addSubRow().setInputs(0, tensor("INPUT0", "FP32", -1, 16)).build());

    assertInvalid(status, "'INPUT0'", "[-1, 16]");
  }

  // Normalize: a requested output the model does not have ("unexpected inference output
  // 'OUTPUT9' for model 'add_sub'").
  @Test
  void anUnknownRequestedOutputIsNamed() {
    Status status = grpcError(channel, addSubRow()
        .addOutputs(InferRequestedOutputTensor.newBuilder().setName("OUTPUT9")).build());

    assertInvalid(status, "'OUTPUT9'", "unknown");
  }

  // Triton's gRPC InferGRPCToInput: typed contents next to raw_input_contents ("contents field
  // must not be specified when using raw_input_contents for 'INPUT0' for model 'add_sub'").
  @Test
  void typedContentsBesideRawContentsAreRefused() {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (int i = 0; i < 16; i++) {
      contents.addFp32Contents(i);
    }
    Status status = grpcError(channel, addSubRow()
        .setInputs(0, tensor("INPUT0", "FP32", 1, 16).setContents(contents)).build());

    assertInvalid(status, "'INPUT0'", "raw_input_contents");
  }
}
