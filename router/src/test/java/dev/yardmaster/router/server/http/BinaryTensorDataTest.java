package dev.yardmaster.router.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryTensorDataTest {

  @Test
  void withoutTheHeaderTheWholeBodyIsJson() {
    assertThat(BinaryTensorData.jsonLength(null, 42)).isEqualTo(42);
    assertThat(BinaryTensorData.jsonLength(" 17 ", 42)).isEqualTo(17);
    assertThat(BinaryTensorData.jsonLength("42", 42)).isEqualTo(42);
  }

  @Test
  void binaryInputsWrapTheBodyInOrderWithoutCopying() {
    byte[] body = {'{', '}', 1, 2, 3, 4, 5, 6, 7, 8, 9};
    List<RequestInput> inputs = List.of(
        RequestInput.binary("A", DataType.INT16, new long[] {2}, 4),
        RequestInput.json("J", DataType.INT8, new long[] {1}, ByteBuffer.wrap(new byte[] {42})),
        RequestInput.binary("B", DataType.BOOL, new long[] {0}, 0),
        RequestInput.binary("C", DataType.UINT8, new long[] {5}, 5));

    List<Tensor> tensors = BinaryTensorData.attach(inputs, body, 2, true);

    assertThat(tensors).extracting(Tensor::name).containsExactly("A", "J", "B", "C");
    assertThat(tensors.get(0).data().getShort(0)).isEqualTo((short) 0x0201);
    assertThat(tensors.get(0).data().getShort(2)).isEqualTo((short) 0x0403);
    assertThat(tensors.get(1).data().get(0)).isEqualTo((byte) 42);
    assertThat(tensors.get(2).byteSize()).isZero();
    assertThat(tensors.get(3).byteSize()).isEqualTo(5);
    body[10] = 99; // a view of the body, not a copy
    assertThat(tensors.get(3).data().get(4)).isEqualTo((byte) 99);
  }

  @Test
  void bytesLengthPrefixIsUnsigned() {
    byte[] body = {'{', '}', -1, -1, -1, -1, 'x'};
    List<RequestInput> inputs = List.of(RequestInput.binary("S", DataType.BYTES, new long[] {1}, 5));

    assertThatThrownBy(() -> BinaryTensorData.attach(inputs, body, 2, true))
        .isInstanceOf(InferenceException.class)
        .hasMessage("input 'S' BYTES element 0 at byte 0: length 4294967295 (expected: <= 1, the bytes left of "
            + "binary_data_size 5)");
  }

  @Test
  void hugeShapesDoNotOverflow() {
    List<RequestInput> tooManyElements = List.of(
        RequestInput.binary("X", DataType.FP64, new long[] {1L << 40, 1L << 30}, 8));
    assertThatThrownBy(() -> BinaryTensorData.attach(tooManyElements, new byte[10], 2, true))
        .hasMessage("input 'X' shape: [1099511627776, 1073741824] (expected: fewer than 2^63 elements)");

    List<RequestInput> tooManyBytes = List.of(RequestInput.binary("Y", DataType.FP64, new long[] {1L << 61}, 8));
    assertThatThrownBy(() -> BinaryTensorData.attach(tooManyBytes, new byte[10], 2, true))
        .hasMessage("input 'Y' parameters.binary_data_size: 8 (expected: more than 2^63 bytes, 2305843009213693952 "
            + "elements of FP64 from shape [2305843009213693952])");
  }
}
