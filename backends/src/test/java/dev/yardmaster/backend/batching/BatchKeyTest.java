package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchKeyTest {

  private static Tensor input(String name, DataType type, long... shape) {
    int bytes = (int) Tensor.elementCount(shape) * 4;
    return Tensor.of(name, type, shape, new byte[bytes]);
  }

  private static InferRequest request(Tensor... inputs) {
    return InferRequest.of("m", "", List.of(inputs));
  }

  @Test
  void batchSizeAndInputOrderDoNotMatter() {
    BatchKey key = BatchKey.of(request(input("a", DataType.FP32, 1, 4), input("b", DataType.INT32, 1, 2, 3)));
    InferRequest other = request(input("b", DataType.INT32, 7, 2, 3), input("a", DataType.FP32, 7, 4));

    assertThat(key.matches(other)).isTrue();
    assertThat(BatchKey.of(other)).isEqualTo(key).hasSameHashCodeAs(key);
  }

  @Test
  void differentInnerShapeNameOrTypeDoNotMatch() {
    BatchKey key = BatchKey.of(request(input("a", DataType.FP32, 1, 4)));

    for (InferRequest other : List.of(
        request(input("a", DataType.FP32, 1, 5)),
        request(input("a", DataType.FP32, 1, 4, 1)),
        request(input("b", DataType.FP32, 1, 4)),
        request(input("a", DataType.INT32, 1, 4)),
        request(input("a", DataType.FP32, 1, 4), input("b", DataType.FP32, 1, 4)))) {
      assertThat(key.matches(other)).as("%s", other.inputs()).isFalse();
      assertThat(BatchKey.of(other)).isNotEqualTo(key);
    }
  }

  @Test
  void anInputGivenTwiceDoesNotStandInForAnother() {
    BatchKey key = BatchKey.of(request(input("a", DataType.FP32, 1, 4), input("b", DataType.FP32, 1, 4)));

    assertThat(key.matches(request(input("a", DataType.FP32, 1, 4), input("a", DataType.FP32, 1, 4)))).isFalse();
  }

  @Test
  void namesTheInputsItStandsFor() {
    assertThat(BatchKey.of(request(input("x", DataType.FP32, 3, 28))).toString()).isEqualTo("[x:FP32[28]]");
  }
}
