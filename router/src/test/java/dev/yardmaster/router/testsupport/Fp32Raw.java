package dev.yardmaster.router.testsupport;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** FP32 values to and from KServe v2 raw tensor contents (little-endian bytes). */
public final class Fp32Raw {

  private Fp32Raw() {}

  /** The raw contents of {@code values}. */
  public static ByteString bytes(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }

  /** The values of raw contents. */
  public static float[] floats(ByteString raw) {
    float[] values = new float[raw.size() / 4];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
