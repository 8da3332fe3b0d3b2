package dev.yardmaster.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataTypeTest {

  @Test
  void wireNamesRoundTripAndUnknownNamesAreNull() {
    for (DataType type : DataType.values()) {
      assertThat(DataType.fromWireName(type.wireName())).isEqualTo(type);
      assertThat(DataType.fromConfigType(type.configType())).isEqualTo(type);
    }
    assertThat(DataType.fromWireName("FLOAT32")).isNull();
    assertThat(DataType.fromConfigType(dev.yardmaster.protocol.v2.DataType.TYPE_INVALID)).isNull();
  }

  @Test
  void floatTensorKeepsItsValuesLittleEndian() {
    Tensor tensor = Tensor.ofFloats("x", new long[] {1, 3}, new float[] {1f, -2.5f, 3f});
    assertThat(tensor.toFloats()).containsExactly(1f, -2.5f, 3f);
    assertThat(tensor.byteSize()).isEqualTo(12);
    assertThat(tensor.data().get(0)).isEqualTo((byte) 0);
    assertThat(tensor.elementCount()).isEqualTo(3);
  }

  @Test
  void elementCountSaturatesInsteadOfWrapping() {
    assertThat(Tensor.elementCount(new long[] {1L << 62, 4})).isEqualTo(Long.MAX_VALUE);
    assertThat(Tensor.elementCount(new long[] {1L << 32, 1L << 32})).isEqualTo(Long.MAX_VALUE);
    assertThat(Tensor.elementCount(new long[] {1L << 31, 1L << 31})).isEqualTo(1L << 62);
    assertThat(Tensor.elementCount(new long[] {0, 1L << 62, 4})).isZero();
    assertThat(Tensor.elementCount(new long[] {})).isEqualTo(1);
  }
}
