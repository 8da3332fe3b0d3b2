package dev.yardmaster.backend.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Direct buffers, one set per thread, that hold a run's inputs while ONNX Runtime runs: ORT wraps
 * a direct buffer in place, but copies a heap buffer into a fresh direct allocation (with a
 * cleaner for the GC to process) on every run. A thread runs one session call at a time and the
 * input tensors are closed before the call returns, so each slot is free again at the next run.
 */
final class InputScratch {
  /** Larger inputs are left to ORT's own copy rather than kept alive per thread. */
  static final int MAX_KEPT_BYTES = 1 << 20;

  private static final ThreadLocal<InputScratch> PER_THREAD = ThreadLocal.withInitial(InputScratch::new);

  private ByteBuffer[] buffers = new ByteBuffer[1];

  private InputScratch() {}

  static InputScratch forCurrentThread() {
    return PER_THREAD.get();
  }

  /**
   * A direct buffer in native order holding a copy of {@code data}'s remaining bytes, exactly that
   * large, valid until this thread's next use of the same slot; null when the data is too large to
   * keep a buffer for.
   *
   * @param slot the input's position in the run
   */
  @Nullable ByteBuffer copyOf(int slot, ByteBuffer data) {
    int size = data.remaining();
    if (size > MAX_KEPT_BYTES) {
      return null;
    }
    if (slot >= buffers.length) {
      buffers = Arrays.copyOf(buffers, slot + 1);
    }
    ByteBuffer buffer = buffers[slot];
    if (buffer == null || buffer.capacity() < size) {
      buffer = ByteBuffer.allocateDirect(Math.max(size, 1024));
      buffers[slot] = buffer;
    }
    // ORT reads the whole of a buffer's capacity as the tensor: hand it a slice of exactly the size
    ByteBuffer slice = buffer.slice(0, size).order(ByteOrder.nativeOrder());
    slice.put(0, data, data.position(), size);
    return slice;
  }
}
