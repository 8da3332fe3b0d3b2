package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every datatype passes through an Identity model byte for byte, from heap and direct buffers. */
class OrtIdentityRoundTripTest {
  @TempDir static Path repo;
  private static final Map<DataType, OrtModelRunner> RUNNERS = new HashMap<>();

  @BeforeAll
  static void openIdentityModels() throws IOException {
    DemoModels.writeIdentityRepository(repo);
    for (DataType type : DemoModels.IDENTITY_TYPES) {
      String name = DemoModels.identityModelName(type);
      RUNNERS.put(
          type,
          OrtModelRunner.open(
              name, repo.resolve(name).resolve("1/model.onnx"), OrtRunnerOptions.defaults()));
    }
  }

  @AfterAll
  static void closeRunners() {
    RUNNERS.values().forEach(OrtModelRunner::close);
  }

  static Stream<Arguments> fixedSizeTypes() {
    List<Arguments> cases = new ArrayList<>();
    for (DataType type : DemoModels.IDENTITY_TYPES) {
      if (type.isFixedSize()) {
        cases.add(Arguments.of(type, false));
        cases.add(Arguments.of(type, true));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} direct={1}")
  @MethodSource("fixedSizeTypes")
  void fixedSizeElementsRoundTripBitForBit(DataType type, boolean direct) {
    long[] shape = {3, 5};
    byte[] bytes = randomElements(type, 15, type.ordinal());
    ByteBuffer data =
        direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
    data.order(ByteOrder.LITTLE_ENDIAN).put(bytes).flip();

    Tensor output = roundTrip(type, Tensor.of("INPUT0", type, shape, data));

    assertThat(output.name()).isEqualTo("OUTPUT0");
    assertThat(output.dataType()).isEqualTo(type);
    assertThat(output.shape()).containsExactly(3, 5);
    assertThat(toBytes(output)).containsExactly(bytes);
  }

  @Test
  void fp16KeepsSpecialValueBits() {
    short[] bits = {
      0x3C00, (short) 0x8000, 0x7C00, (short) 0xFC00, 0x7E01, 0x0001, (short) 0xFBFF, 0x0000
    };
    ByteBuffer data = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    data.asShortBuffer().put(bits);

    Tensor output =
        roundTrip(DataType.FP16, Tensor.of("INPUT0", DataType.FP16, new long[] {2, 4}, data));

    short[] actual = new short[bits.length];
    output.data().asShortBuffer().get(actual);
    assertThat(actual).containsExactly(bits);
  }

  @Test
  void bytesRoundTripMultiByteUtf8AndEmptyStrings() {
    String[] strings = {
      "", "plain", "héllo wörld", "日本語", "🚀 rocket", "", "a\u0000b", "Ωμέγα", ""
    };
    Tensor input = Tensor.of("INPUT0", DataType.BYTES, new long[] {3, 3}, lengthPrefixed(strings));

    Tensor output = roundTrip(DataType.BYTES, input);

    assertThat(output.dataType()).isEqualTo(DataType.BYTES);
    assertThat(output.shape()).containsExactly(3, 3);
    assertThat(toBytes(output)).containsExactly(toBytes(input));
  }

  @Test
  void bytesInARowOfOneRoundTrip() {
    Tensor input =
        Tensor.of("INPUT0", DataType.BYTES, new long[] {1, 1}, lengthPrefixed(new String[] {"só"}));

    assertThat(toBytes(roundTrip(DataType.BYTES, input))).containsExactly(toBytes(input));
  }

  @Test
  void boolComesBackAsOneBytePerElement() {
    byte[] flags = {1, 0, 0, 1, 1, 0};

    Tensor output =
        roundTrip(DataType.BOOL, Tensor.of("INPUT0", DataType.BOOL, new long[] {2, 3}, flags));

    assertThat(output.byteSize()).isEqualTo(6);
    assertThat(toBytes(output)).containsExactly(flags);
  }

  private static Tensor roundTrip(DataType type, Tensor input) {
    List<Tensor> outputs = RUNNERS.get(type).run(Map.of("INPUT0", input), List.of("OUTPUT0"));
    assertThat(outputs).hasSize(1);
    return outputs.get(0);
  }

  static ByteBuffer lengthPrefixed(String[] strings) {
    int size = 0;
    for (String string : strings) {
      size += 4 + string.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String string : strings) {
      byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
      buffer.putInt(utf8.length).put(utf8);
    }
    return buffer.flip();
  }

  private static byte[] randomElements(DataType type, int count, long seed) {
    Random random = new Random(seed);
    byte[] bytes = new byte[count * type.elementSize()];
    random.nextBytes(bytes);
    if (type == DataType.BOOL) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (bytes[i] & 1);
      }
    }
    return bytes;
  }

  private static byte[] toBytes(Tensor tensor) {
    byte[] bytes = new byte[tensor.byteSize()];
    tensor.data().get(bytes);
    return bytes;
  }
}
