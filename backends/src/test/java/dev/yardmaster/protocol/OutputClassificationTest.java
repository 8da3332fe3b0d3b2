package dev.yardmaster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputClassificationTest {

  static List<String> strings(Tensor tensor) {
    ByteBuffer data = tensor.data();
    List<String> values = new ArrayList<>();
    for (int offset = 0; offset < data.remaining(); ) {
      int length = data.getInt(offset);
      byte[] element = new byte[length];
      data.get(offset + 4, element);
      values.add(new String(element, StandardCharsets.UTF_8));
      offset += 4 + length;
    }
    return values;
  }

  static Tensor longs(DataType type, long[] shape, long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      buffer.putLong(value);
    }
    return Tensor.of("OUT", type, shape, buffer.flip());
  }

  @Test
  void topClassesOfEachBatchRowWithSixDecimalsAndIndexOrderOnTies() {
    Tensor scores = Tensor.ofFloats("OUT", new long[] {2, 4}, new float[] {0.25f, 0.75f, 0.25f, -1f, 3f, 2f, 1f, 0f});

    Tensor classes = OutputClassification.classify(scores, 3, true);

    assertThat(classes.dataType()).isEqualTo(DataType.BYTES);
    assertThat(classes.shape()).containsExactly(2, 3);
    assertThat(strings(classes)).containsExactly("0.750000:1", "0.250000:0", "0.250000:2",
        "3.000000:0", "2.000000:1", "1.000000:2");
  }

  @Test
  void aNonBatchingModelsOutputIsOneRowAndKIsCappedAtItsElementCount() {
    Tensor scores = Tensor.ofFloats("OUT", new long[] {2, 2}, new float[] {1, 4, 3, 2});

    Tensor classes = OutputClassification.classify(scores, 100, false);

    assertThat(classes.shape()).containsExactly(4);
    assertThat(strings(classes)).containsExactly("4.000000:1", "3.000000:2", "2.000000:3", "1.000000:0");
  }

  @Test
  void integersInDecimalUnsignedAsUnsigned() {
    Tensor unsigned = longs(DataType.UINT64, new long[] {1, 3}, 5, -1, Long.MAX_VALUE);
    assertThat(strings(OutputClassification.classify(unsigned, 2, true)))
        .containsExactly("18446744073709551615:1", "9223372036854775807:2");

    Tensor signed = longs(DataType.INT64, new long[] {1, 3}, 5, -1, Long.MIN_VALUE);
    assertThat(strings(OutputClassification.classify(signed, 3, true)))
        .containsExactly("5:0", "-1:1", "-9223372036854775808:2");

    Tensor bytes = Tensor.of("OUT", DataType.UINT8, new long[] {3}, new byte[] {1, (byte) 200, 7});
    assertThat(strings(OutputClassification.classify(bytes, 1, false))).containsExactly("200:1");
  }

  @Test
  void floatsPrintAsCsPercentF() {
    assertThat(OutputClassification.fixedSixDecimals(0.1f)).isEqualTo("0.100000");
    assertThat(OutputClassification.fixedSixDecimals(1.0 / 3)).isEqualTo("0.333333");
    assertThat(OutputClassification.fixedSixDecimals(2.0 / 3)).isEqualTo("0.666667");
    assertThat(OutputClassification.fixedSixDecimals(-1e-9)).isEqualTo("-0.000000");
    assertThat(OutputClassification.fixedSixDecimals(-0.0)).isEqualTo("-0.000000");
    assertThat(OutputClassification.fixedSixDecimals(Float.MAX_VALUE))
        .isEqualTo("340282346638528859811704183484516925440.000000");
    assertThat(OutputClassification.fixedSixDecimals(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(OutputClassification.fixedSixDecimals(Double.NaN)).isEqualTo("nan");
  }

  @Test
  void nanRanksLastAndNegativeZeroTiesWithZero() {
    Tensor scores = Tensor.ofFloats("OUT", new long[] {4}, new float[] {Float.NaN, -0f, 0f, -2f});

    assertThat(strings(OutputClassification.classify(scores, 4, false)))
        .containsExactly("-0.000000:1", "0.000000:2", "-2.000000:3", "nan:0");
  }

  @Test
  void applyReplacesOnlyTheClassifiedOutputs() {
    Tensor a = Tensor.ofFloats("A", new long[] {1, 2}, new float[] {1, 2});
    Tensor b = Tensor.ofFloats("B", new long[] {1, 2}, new float[] {1, 2});
    InferResponse response = new InferResponse("m", "1", "id", List.of(a, b), Map.of());

    InferResponse classified = OutputClassification.of(Map.of("B", 1)).apply(response, true);

    assertThat(classified.outputs().get(0)).isSameAs(a);
    assertThat(strings(classified.outputs().get(1))).containsExactly("2.000000:1");
    assertThat(OutputClassification.NONE.apply(response, true)).isSameAs(response);
  }

  @Test
  void outputsWithoutNumbersAndCountsBelowOneAreInvalidArguments() {
    Tensor flags = Tensor.of("FLAGS", DataType.BOOL, new long[] {2}, new byte[] {1, 0});
    assertThatThrownBy(() -> OutputClassification.classify(flags, 1, false))
        .isInstanceOf(InferenceException.class)
        .hasMessageStartingWith("output 'FLAGS' parameters.classification: datatype BOOL has no classes "
            + "(expected: an output of one of [UINT8,");
    assertThatThrownBy(() -> OutputClassification.count("OUT", 0))
        .hasMessage("output 'OUT' parameters.classification: 0 (expected: an integer > 0, the number of top "
            + "classes)");
    assertThat(OutputClassification.count("OUT", Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }
}
