package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One sample of warmup data: zeros, random values by datatype, and files checked against their dims. */
class WarmupInputDataTest {

  @TempDir Path directory;

  @Test
  void bytesZeroAndRandomDataAreEmptyElements() {
    assertThat(WarmupInputData.zeros(DataType.BYTES, 3)).isEqualTo(new byte[12]);
    assertThat(WarmupInputData.random(DataType.BYTES, 3, new Random(1))).isEqualTo(new byte[12]);
  }

  @Test
  void randomValuesAreOrdinaryNumbersOfTheirType() {
    Random random = new Random(7);
    assertThat(WarmupInputData.random(DataType.BOOL, 64, random)).containsOnly(0, 1).contains(0, 1);
    ByteBuffer halves = ByteBuffer.wrap(WarmupInputData.random(DataType.FP16, 32, random)).order(ByteOrder.LITTLE_ENDIAN);
    while (halves.hasRemaining()) {
      assertThat(halves.getShort() & 0xFC00).as("FP16 in [1, 2)").isEqualTo(0x3C00);
    }
    ByteBuffer doubles = ByteBuffer.wrap(WarmupInputData.random(DataType.FP64, 8, random)).order(ByteOrder.LITTLE_ENDIAN);
    while (doubles.hasRemaining()) {
      assertThat(doubles.getDouble()).isBetween(0.0, 1.0);
    }
    assertThat(WarmupInputData.random(DataType.INT64, 4, random)).hasSize(32);
  }

  @Test
  void bytesFileHoldsExactlyTheSamplesElements() throws Exception {
    ByteBuffer two = Tensor.bytesData(List.of(new byte[] {1}, new byte[] {2, 3}));
    byte[] data = new byte[two.remaining()];
    two.get(data);
    Path file = Files.write(directory.resolve("two.bin"), data);

    assertThat(WarmupInputData.file(file, "two.bin", DataType.BYTES, 2, "[2]")).isEqualTo(data);
    assertThatThrownBy(() -> WarmupInputData.file(file, "two.bin", DataType.BYTES, 3, "[3]")).hasMessage(
        "input_data_file 'two.bin': 2 elements in 11 bytes (expected: 3 elements, each a 4-byte little-endian length "
            + "then its bytes, one sample of dims [3] of TYPE_STRING)");
    Path cut = Files.write(directory.resolve("cut.bin"), java.util.Arrays.copyOf(data, 10));
    assertThatThrownBy(() -> WarmupInputData.file(cut, "cut.bin", DataType.BYTES, 2, "[2]")).hasMessageStartingWith(
        "input_data_file 'cut.bin': not length-prefixed elements in 10 bytes (expected: 2 elements");
  }

  @Test
  void repeatLaysOneSamplePerRow() {
    assertThat(WarmupInputData.repeat(new byte[] {1, 2}, 3)).containsExactly(1, 2, 1, 2, 1, 2);
  }
}
