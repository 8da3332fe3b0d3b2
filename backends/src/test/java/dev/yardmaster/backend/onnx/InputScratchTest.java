package dev.yardmaster.backend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class InputScratchTest {

  private static ByteBuffer heapBytes(int size, int first) {
    ByteBuffer data = ByteBuffer.allocate(size + 3).order(ByteOrder.LITTLE_ENDIAN);
    data.position(3); // a view that does not start at 0, as a proto slice may not
    for (int i = 0; i < size; i++) {
      data.put(3 + i, (byte) (first + i));
    }
    return data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void copiesTheRemainingBytesIntoADirectBufferOfExactlyThatSize() {
    ByteBuffer copy = InputScratch.forCurrentThread().copyOf(0, heapBytes(10, 7));

    assertThat(copy).isNotNull();
    assertThat(copy.isDirect()).isTrue();
    assertThat(copy.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(copy.capacity()).isEqualTo(10);
    assertThat(copy.remaining()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      assertThat(copy.get(i)).isEqualTo((byte) (7 + i));
    }
  }

  @Test
  void aSlotIsReusedForTheNextRunAndSlotsDoNotOverlap() {
    InputScratch scratch = InputScratch.forCurrentThread();
    ByteBuffer first = scratch.copyOf(0, heapBytes(16, 1));
    ByteBuffer other = scratch.copyOf(1, heapBytes(16, 50));
    ByteBuffer second = scratch.copyOf(0, heapBytes(8, 100));

    assertThat(second.capacity()).isEqualTo(8);
    assertThat(first.get(0)).isEqualTo((byte) 100); // same memory: the slot's previous run is over
    assertThat(other.get(0)).isEqualTo((byte) 50);
  }

  @Test
  void leavesInputsAboveTheKeptSizeToOnnxRuntime() {
    ByteBuffer large = ByteBuffer.allocate(InputScratch.MAX_KEPT_BYTES + 1);

    assertThat(InputScratch.forCurrentThread().copyOf(0, large)).isNull();
  }
}
