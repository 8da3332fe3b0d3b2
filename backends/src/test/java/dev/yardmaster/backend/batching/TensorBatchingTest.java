package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorBatchingTest {

  @Test
  void joinsAlongTheBatchDimensionAndSplitsBackByRows() {
    Tensor a = Tensor.ofFloats("x", new long[] {1, 2}, new float[] {1, 2});
    Tensor b = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {3, 4, 5, 6});

    Tensor joined = TensorBatching.concat("x", List.of(a, b));

    assertThat(joined.shape()).containsExactly(3, 2);
    assertThat(joined.toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
    List<Tensor> parts = TensorBatching.split(joined, new int[] {1, 2});
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).shape()).containsExactly(1, 2);
    assertThat(parts.get(0).toFloats()).containsExactly(1, 2);
    assertThat(parts.get(1).shape()).containsExactly(2, 2);
    assertThat(parts.get(1).toFloats()).containsExactly(3, 4, 5, 6);
  }

  @Test
  void oneRequestNeedsNoCopy() {
    Tensor a = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1, 2, 3, 4});

    assertThat(TensorBatching.concat("x", List.of(a))).isSameAs(a);
    assertThat(TensorBatching.split(a, new int[] {2}).get(0)).isSameAs(a);
  }

  @Test
  void joinsAndSplitsBytesTensors() {
    Tensor a = strings("s", new long[] {1, 2}, "a", "bcd");
    Tensor b = strings("s", new long[] {2, 2}, "", "ef", "ghij", "k");

    Tensor joined = TensorBatching.concat("s", List.of(a, b));
    List<Tensor> parts = TensorBatching.split(joined, new int[] {2, 1});

    assertThat(joined.shape()).containsExactly(3, 2);
    assertThat(decode(parts.get(0))).containsExactly("a", "bcd", "", "ef");
    assertThat(parts.get(0).shape()).containsExactly(2, 2);
    assertThat(decode(parts.get(1))).containsExactly("ghij", "k");
  }

  @Test
  void rejectsDifferentNonBatchShapes() {
    Tensor a = Tensor.ofFloats("x", new long[] {1, 2}, new float[] {1, 2});
    Tensor b = Tensor.ofFloats("x", new long[] {1, 3}, new float[] {3, 4, 5});

    assertThatThrownBy(() -> TensorBatching.concat("x", List.of(a, b)))
        .isInstanceOf(InferenceException.class)
        .hasMessage("input 'x' shape: [1, 3] (expected: [-1, 2] as the rest of the batch)");
  }

  @Test
  void splitNamesAnOutputWithTheWrongRowCount() {
    Tensor out = Tensor.ofFloats("y", new long[] {2, 1}, new float[] {1, 2});

    assertThatThrownBy(() -> TensorBatching.split(out, new int[] {1, 2}))
        .isInstanceOf(InferenceException.class)
        .hasMessage("output 'y' shape: [2, 1] (expected: 3 rows in dimension 0, the batch's rows)");
  }

  static Tensor strings(String name, long[] shape, String... values) {
    int size = 0;
    for (String value : values) {
      size += Integer.BYTES + value.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String value : values) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      buffer.putInt(bytes.length).put(bytes);
    }
    buffer.flip();
    return Tensor.of(name, DataType.BYTES, shape, buffer);
  }

  static List<String> decode(Tensor tensor) {
    ByteBuffer data = tensor.data();
    List<String> values = new ArrayList<>();
    while (data.hasRemaining()) {
      byte[] bytes = new byte[data.getInt()];
      data.get(bytes);
      values.add(new String(bytes, StandardCharsets.UTF_8));
    }
    return values;
  }
}
