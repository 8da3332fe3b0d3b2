package dev.yardmaster.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A named tensor: datatype, shape and its elements as flattened, row-major, little-endian bytes
 * (Triton's raw format; {@link DataType#BYTES} elements are 4-byte length prefixed).
 *
 * <p>The data buffer is read with absolute gets only; holders never move its position, so one
 * tensor can be shared by several readers. {@link #data()} returns a little-endian duplicate.
 */
public final class Tensor {
  private final String name;
  private final DataType dataType;
  private final long[] shape;
  private final ByteBuffer data;

  private Tensor(String name, DataType dataType, long[] shape, ByteBuffer data) {
    this.name = name;
    this.dataType = dataType;
    this.shape = shape;
    this.data = data;
  }

  /** Wraps {@code data} (from its position to its limit) without copying. */
  public static Tensor of(String name, DataType dataType, long[] shape, ByteBuffer data) {
    return new Tensor(name, dataType, shape.clone(), data.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  public static Tensor of(String name, DataType dataType, long[] shape, byte[] data) {
    return of(name, dataType, shape, ByteBuffer.wrap(data));
  }

  /** {@link DataType#BYTES} data of these elements: each its 4-byte little-endian length, then its bytes. */
  public static ByteBuffer bytesData(List<byte[]> elements) {
    int size = 0;
    for (byte[] element : elements) {
      size = Math.addExact(size, Integer.BYTES + element.length);
    }
    ByteBuffer data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] element : elements) {
      data.putInt(element.length).put(element);
    }
    return data.flip();
  }

  /** A float tensor (for tests, demos and tools). */
  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return of(name, DataType.FP32, shape, buffer);
  }

  public String name() {
    return name;
  }

  public DataType dataType() {
    return dataType;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int index) {
    return shape[index];
  }

  /** Number of elements the shape describes (1 for a scalar). */
  public long elementCount() {
    return elementCount(shape);
  }

  /** A little-endian read-only view of the elements, position 0. */
  public ByteBuffer data() {
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public int byteSize() {
    return data.remaining();
  }

  /** The elements as floats; only for FP32 tensors. */
  public float[] toFloats() {
    if (dataType != DataType.FP32) {
      throw new IllegalStateException("tensor '" + name + "' datatype: " + dataType + " (expected: FP32)");
    }
    float[] values = new float[byteSize() / Float.BYTES];
    data().asFloatBuffer().get(values);
    return values;
  }

  /** A tensor with the same data under another name. */
  public Tensor withName(String newName) {
    return new Tensor(newName, dataType, shape, data);
  }

  /** The product of the dimensions; {@link Long#MAX_VALUE} when it does not fit a long. */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim != 0 && Math.abs(count) > Long.MAX_VALUE / Math.abs(dim)) {
        return Long.MAX_VALUE; // saturates: no byte size can match, so the shape is refused, never wrapped
      }
      count *= dim;
    }
    return count;
  }

  @Override
  public String toString() {
    return name + ":" + dataType + Arrays.toString(shape);
  }
}
