package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Converts between Yardmaster tensors and ONNX Runtime tensors with bulk copies only: fixed-size
 * types go through buffers (a direct buffer is used in place, a heap buffer is copied once by ORT
 * into native memory), BYTES through String arrays decoded from and encoded to Triton's
 * length-prefixed format.
 *
 * <p>ORT's buffers are in native order and Yardmaster's are little endian; ORT itself supports
 * little-endian hosts only, so the bytes pass through unchanged.
 */
final class OrtTensors {
  private OrtTensors() {}

  /** An ORT tensor holding {@code tensor}'s elements; the caller closes it. */
  static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor, String modelName) throws OrtException {
    return toOrt(env, tensor, modelName, null, 0);
  }

  /**
   * As {@link #toOrt(OrtEnvironment, Tensor, String)}, copying a heap buffer into the scratch's
   * slot instead of letting ORT allocate a direct one; the caller closes the tensor before this
   * thread uses the slot again.
   */
  static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor, String modelName, @Nullable InputScratch scratch,
      int slot) throws OrtException {
    long count = tensor.elementCount();
    if (tensor.dataType() == DataType.BYTES) {
      return OnnxTensor.createTensor(env, decodeStrings(tensor, count, modelName), tensor.shape());
    }
    OnnxJavaType javaType = OnnxTypes.bufferType(tensor.dataType());
    if (javaType == null) {
      throw new InferenceException(
          InferenceException.Status.UNIMPLEMENTED,
          String.format(
              "model '%s' input '%s' datatype: %s (expected: one of BOOL, UINT8, INT8, INT16,"
                  + " INT32, INT64, FP16, BF16, FP32, FP64, BYTES for onnxruntime)",
              modelName, tensor.name(), tensor.dataType()));
    }
    long expectedBytes = count * tensor.dataType().elementSize();
    if (tensor.byteSize() != expectedBytes) {
      throw InferenceException.invalidArgument(
          "model '%s' input '%s' byte size: %d (expected: %d for %s %s)",
          modelName,
          tensor.name(),
          tensor.byteSize(),
          expectedBytes,
          tensor.dataType(),
          java.util.Arrays.toString(tensor.shape()));
    }
    ByteBuffer data = tensor.data();
    if (scratch != null && !data.isDirect()) {
      ByteBuffer copy = scratch.copyOf(slot, data);
      if (copy != null) {
        return OnnxTensor.createTensor(env, copy, tensor.shape(), javaType);
      }
    }
    return createFromBuffer(env, data, tensor.shape(), javaType);
  }

  /**
   * A direct buffer is wrapped in place. ORT copies a heap buffer, but its copy only works from a
   * buffer of the element type, so a heap buffer goes in as a typed view.
   */
  private static OnnxTensor createFromBuffer(
      OrtEnvironment env, ByteBuffer data, long[] shape, OnnxJavaType javaType)
      throws OrtException {
    if (data.isDirect()) {
      return OnnxTensor.createTensor(env, data, shape, javaType);
    }
    return switch (javaType) {
      case FLOAT -> OnnxTensor.createTensor(env, data.asFloatBuffer(), shape);
      case DOUBLE -> OnnxTensor.createTensor(env, data.asDoubleBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, data.asIntBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, data.asLongBuffer(), shape);
      case INT16, FLOAT16, BFLOAT16 ->
          OnnxTensor.createTensor(env, data.asShortBuffer(), shape, javaType);
      default -> OnnxTensor.createTensor(env, data, shape, javaType);
    };
  }

  /** A Yardmaster tensor with a copy of {@code value}'s elements; the caller still closes value. */
  static Tensor fromOrt(String name, OnnxTensor value, String modelName) throws OrtException {
    TensorInfo info = value.getInfo();
    DataType type = OnnxTypes.fromOrt(info.onnxType);
    if (type == null) {
      throw InferenceException.internal(
          "model '%s' output '%s' element type: %s (expected: a type with a KServe v2 name)",
          modelName, name, info.onnxType);
    }
    long[] shape = info.getShape();
    if (type == DataType.BYTES) {
      return Tensor.of(name, type, shape, encodeStrings(value.getValue(), info.getNumElements()));
    }
    ByteBuffer bytes = value.getByteBuffer();
    return Tensor.of(name, type, shape, bytes.order(ByteOrder.LITTLE_ENDIAN));
  }

  private static String[] decodeStrings(Tensor tensor, long count, String modelName) {
    ByteBuffer data = tensor.data();
    int limit = data.limit();
    String[] strings = new String[Math.toIntExact(count)];
    int position = 0;
    for (int i = 0; i < strings.length; i++) {
      if (limit - position < Integer.BYTES) {
        throw InferenceException.invalidArgument(
            "model '%s' input '%s' BYTES element %d: %d bytes left (expected: a 4-byte length"
                + " prefix)",
            modelName, tensor.name(), i, limit - position);
      }
      int length = data.getInt(position);
      position += Integer.BYTES;
      if (length < 0 || length > limit - position) {
        throw InferenceException.invalidArgument(
            "model '%s' input '%s' BYTES element %d length: %d (expected: <= %d bytes left)",
            modelName, tensor.name(), i, length, limit - position);
      }
      byte[] utf8 = new byte[length];
      data.get(position, utf8);
      position += length;
      strings[i] = new String(utf8, StandardCharsets.UTF_8);
    }
    if (position != limit) {
      throw InferenceException.invalidArgument(
          "model '%s' input '%s' byte size: %d (expected: %d for %d BYTES elements)",
          modelName, tensor.name(), limit, position, count);
    }
    return strings;
  }

  /** ORT returns a scalar String or nested String arrays, one level per dimension. */
  private static ByteBuffer encodeStrings(Object value, long count) {
    byte[][] utf8 = new byte[Math.toIntExact(count)][];
    int filled = flatten(value, utf8, 0);
    if (filled != utf8.length) {
      throw new IllegalStateException("string elements: " + filled + " (expected: " + count + ")");
    }
    return Tensor.bytesData(Arrays.asList(utf8));
  }

  private static int flatten(Object value, byte[][] into, int index) {
    if (value instanceof String string) {
      into[index] = string.getBytes(StandardCharsets.UTF_8);
      return index + 1;
    }
    int next = index;
    for (Object element : (Object[]) value) {
      next = flatten(element, into, next);
    }
    return next;
  }
}
