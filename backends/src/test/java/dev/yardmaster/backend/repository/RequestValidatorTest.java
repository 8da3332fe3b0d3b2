package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  /** Batching model, max_batch_size 8: input FP32 [-1,28], mask INT64 [-1,-1] optional ids BYTES [-1,2]. */
  private static final ModelSpec SPEC = new ModelSpec("higgs", "1", "onnxruntime_onnx", 8,
      List.of(new TensorSpec("input", DataType.FP32, new long[] {28}),
          new TensorSpec("mask", DataType.INT64, new long[] {-1}),
          new TensorSpec("ids", DataType.BYTES, new long[] {2})),
      List.of(new TensorSpec("output", DataType.FP32, new long[] {1})),
      ModelConfig.newBuilder().setName("higgs").setMaxBatchSize(8)
          .addInput(ModelInput.newBuilder().setName("input"))
          .addInput(ModelInput.newBuilder().setName("mask"))
          .addInput(ModelInput.newBuilder().setName("ids").setOptional(true)).build());

  private static final ModelSpec UNBATCHED = new ModelSpec("plain", "1", "onnxruntime_onnx", 0,
      List.of(new TensorSpec("x", DataType.FP32, new long[] {2, 3})),
      List.of(new TensorSpec("y", DataType.FP32, new long[] {2, 3})), ModelConfig.getDefaultInstance());

  private final RequestValidator validator = new RequestValidator(SPEC);

  @Test
  void validRequestReturnsItsBatchSize() {
    assertThat(validator.validate(request(input(3), mask(3, 5)))).isEqualTo(3);
    assertThat(validator.validate(request(input(2), mask(2, 1), ids(2, "ab", "c", "", "dddd")))).isEqualTo(2);
    assertThat(new RequestValidator(UNBATCHED).validate(InferRequest.of("plain", "", List.of(
        Tensor.ofFloats("x", new long[] {2, 3}, new float[6]))))).isEqualTo(1);
  }

  @Test
  void unknownInput() {
    assertInvalid(request(input(1), mask(1, 1), Tensor.ofFloats("extra", new long[] {1}, new float[1])),
        "input 'extra' name: unknown to model 'higgs' (expected: one of [input, mask, ids])");
  }

  @Test
  void missingInput() {
    assertInvalid(request(input(1)), "input 'mask': missing (expected: inputs [input, mask, ids])");
  }

  @Test
  void everyMissingRequiredInputIsNamedAndTheOptionalOneIsNot() {
    assertInvalid(request(), "inputs 'input', 'mask': missing (expected: inputs [input, mask, ids])");
  }

  @Test
  void duplicateInput() {
    assertInvalid(request(input(1), input(1), mask(1, 1)), "input 'input': given twice (expected: each input once)");
  }

  @Test
  void datatypeMismatch() {
    assertInvalid(request(Tensor.of("input", DataType.FP64, new long[] {1, 28}, new byte[224]), mask(1, 1)),
        "input 'input' datatype: FP64 (expected: FP32)");
  }

  @Test
  void rankMismatch() {
    assertInvalid(request(Tensor.ofFloats("input", new long[] {28}, new float[28]), mask(1, 1)),
        "input 'input' rank: 1 for shape [28] (expected: 2 for shape [-1,28])");
  }

  @Test
  void dimMismatchRespectsVariableDims() {
    assertInvalid(request(Tensor.ofFloats("input", new long[] {1, 27}, new float[27]), mask(1, 1)),
        "input 'input' shape: [1,27] (expected: [-1,28])");
    assertInvalid(request(input(1), Tensor.of("mask", DataType.INT64, new long[] {1, -1}, new byte[0])),
        "input 'mask' shape: [1,-1] (expected: [-1,-1])");
  }

  @Test
  void batchAboveMaxBatchSize() {
    assertInvalid(request(input(9), mask(9, 1)), "input 'input' batch size: 9 (expected: <= 8, the max_batch_size)");
  }

  @Test
  void zeroBatch() {
    assertInvalid(request(input(0), mask(0, 1)), "input 'input' batch size: 0 (expected: >= 1)");
  }

  @Test
  void batchInconsistentAcrossInputs() {
    assertInvalid(request(input(2), mask(3, 1)),
        "input 'mask' batch size: 3 (expected: 2, the batch size of input 'input')");
  }

  @Test
  void byteSizeMismatch() {
    assertInvalid(request(Tensor.of("input", DataType.FP32, new long[] {1, 28}, new byte[100]), mask(1, 1)),
        "input 'input' byte size: 100 (expected: 112 for shape [1,28] FP32)");
  }

  @Test
  void bytesLengthPrefixOverrunsTheData() {
    ByteBuffer data = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(2).put((byte) 'a').put((byte) 'b').putInt(100);
    assertInvalid(request(input(1), mask(1, 1), Tensor.of("ids", DataType.BYTES, new long[] {1, 2}, data.flip())),
        "input 'ids' BYTES element 1 length prefix: 100 (expected: <= 0, the bytes left)");
  }

  @Test
  void bytesTooShortForALengthPrefix() {
    ByteBuffer data = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(1).put((byte) 'a').put((byte) 0).put((byte) 0);
    assertInvalid(request(input(1), mask(1, 1), Tensor.of("ids", DataType.BYTES, new long[] {1, 2}, data.flip())),
        "input 'ids' BYTES element 1: 2 bytes left for its 4-byte length prefix (expected: 2 elements for shape [1,2])");
  }

  @Test
  void bytesWithTrailingData() {
    Tensor ids = ids(1, "a", "b");
    ByteBuffer data = ByteBuffer.allocate(ids.byteSize() + 3);
    data.put(ids.data()).put(new byte[3]).flip();
    assertInvalid(request(input(1), mask(1, 1), Tensor.of("ids", DataType.BYTES, new long[] {1, 2}, data)),
        "input 'ids' byte size: 13 (expected: 10, the 2 length-prefixed BYTES elements of shape [1,2])");
  }

  @Test
  void unknownRequestedOutput() {
    InferRequest request = new InferRequest("higgs", "", "", List.of(input(1), mask(1, 1)), List.of("probability"),
        Map.of(), 0, 0, 0);
    assertInvalid(request, "output 'probability' name: unknown to model 'higgs' (expected: one of [output])");
  }

  @Test
  void duplicateRequestedOutput() {
    InferRequest request = new InferRequest("higgs", "", "", List.of(input(1), mask(1, 1)), List.of("output", "output"),
        Map.of(), 0, 0, 0);
    assertInvalid(request, "output 'output': requested twice (expected: each output once)");
  }

  private void assertInvalid(InferRequest request, String message) {
    assertThatThrownBy(() -> validator.validate(request))
        .isInstanceOf(InferenceException.class)
        .hasMessage(message)
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);
  }

  private static InferRequest request(Tensor... inputs) {
    return InferRequest.of("higgs", "", List.of(inputs));
  }

  private static Tensor input(int rows) {
    return Tensor.ofFloats("input", new long[] {rows, 28}, new float[rows * 28]);
  }

  private static Tensor mask(int rows, int width) {
    return Tensor.of("mask", DataType.INT64, new long[] {rows, width}, new byte[rows * width * 8]);
  }

  private static Tensor ids(int rows, String... values) {
    int size = 0;
    for (String value : values) {
      size += 4 + value.length();
    }
    ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String value : values) {
      data.putInt(value.length()).put(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return Tensor.of("ids", DataType.BYTES, new long[] {rows, values.length / rows}, data.flip());
  }
}
