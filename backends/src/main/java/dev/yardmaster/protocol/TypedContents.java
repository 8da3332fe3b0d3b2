package dev.yardmaster.protocol;

import com.google.protobuf.UnsafeByteOperations;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.InferTensorContents;
import java.nio.ByteBuffer;

/**
 * Packs typed {@code InferTensorContents} into little-endian tensor bytes and back, one
 * primitive loop per datatype (no boxing).
 */
final class TypedContents {

  private TypedContents() {}

  /** Whether the datatype has a typed contents field (FP16 and BF16 do not). */
  static boolean hasTypedField(DataType dataType) {
    return dataType != DataType.FP16 && dataType != DataType.BF16;
  }

  static ByteBuffer pack(String name, DataType dataType, long[] shape, InferTensorContents contents) {
    long expected = Tensor.elementCount(shape);
    int count = count(name, dataType, contents);
    if (count != expected) {
      throw InferenceException.invalidArgument(
          "input '%s' contents: %d %s elements (expected: %d from shape %s)",
          name, count, dataType, expected, java.util.Arrays.toString(shape));
    }
    ByteBuffer buffer;
    switch (dataType) {
      case BOOL -> {
        buffer = ProtoTensorCodec.allocate(count, name);
        for (int i = 0; i < count; i++) {
          buffer.put(contents.getBoolContents(i) ? (byte) 1 : (byte) 0);
        }
      }
      case UINT8 -> {
        buffer = ProtoTensorCodec.allocate(count, name);
        for (int i = 0; i < count; i++) {
          buffer.put((byte) contents.getUintContents(i));
        }
      }
      case UINT16 -> {
        buffer = ProtoTensorCodec.allocate(count * 2L, name);
        for (int i = 0; i < count; i++) {
          buffer.putShort((short) contents.getUintContents(i));
        }
      }
      case UINT32 -> {
        buffer = ProtoTensorCodec.allocate(count * 4L, name);
        for (int i = 0; i < count; i++) {
          buffer.putInt(contents.getUintContents(i));
        }
      }
      case UINT64 -> {
        buffer = ProtoTensorCodec.allocate(count * 8L, name);
        for (int i = 0; i < count; i++) {
          buffer.putLong(contents.getUint64Contents(i));
        }
      }
      case INT8 -> {
        buffer = ProtoTensorCodec.allocate(count, name);
        for (int i = 0; i < count; i++) {
          buffer.put((byte) contents.getIntContents(i));
        }
      }
      case INT16 -> {
        buffer = ProtoTensorCodec.allocate(count * 2L, name);
        for (int i = 0; i < count; i++) {
          buffer.putShort((short) contents.getIntContents(i));
        }
      }
      case INT32 -> {
        buffer = ProtoTensorCodec.allocate(count * 4L, name);
        for (int i = 0; i < count; i++) {
          buffer.putInt(contents.getIntContents(i));
        }
      }
      case INT64 -> {
        buffer = ProtoTensorCodec.allocate(count * 8L, name);
        for (int i = 0; i < count; i++) {
          buffer.putLong(contents.getInt64Contents(i));
        }
      }
      case FP32 -> {
        buffer = ProtoTensorCodec.allocate(count * 4L, name);
        for (int i = 0; i < count; i++) {
          buffer.putFloat(contents.getFp32Contents(i));
        }
      }
      case FP64 -> {
        buffer = ProtoTensorCodec.allocate(count * 8L, name);
        for (int i = 0; i < count; i++) {
          buffer.putDouble(contents.getFp64Contents(i));
        }
      }
      case BYTES -> {
        long size = 0;
        for (int i = 0; i < count; i++) {
          size += 4L + contents.getBytesContents(i).size();
        }
        buffer = ProtoTensorCodec.allocate(size, name);
        for (int i = 0; i < count; i++) {
          buffer.putInt(contents.getBytesContents(i).size());
          contents.getBytesContents(i).copyTo(buffer);
        }
      }
      default -> throw InferenceException.invalidArgument(
          "input '%s' contents: %s has no typed contents field (expected: raw_input_contents)",
          name, dataType);
    }
    buffer.flip();
    return buffer;
  }

  private static int count(String name, DataType dataType, InferTensorContents contents) {
    return switch (dataType) {
      case BOOL -> contents.getBoolContentsCount();
      case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
      case UINT64 -> contents.getUint64ContentsCount();
      case INT8, INT16, INT32 -> contents.getIntContentsCount();
      case INT64 -> contents.getInt64ContentsCount();
      case FP32 -> contents.getFp32ContentsCount();
      case FP64 -> contents.getFp64ContentsCount();
      case BYTES -> contents.getBytesContentsCount();
      case FP16, BF16 -> throw InferenceException.invalidArgument(
          "input '%s' contents: %s has no typed contents field (expected: raw_input_contents)",
          name, dataType);
    };
  }

  static InferTensorContents unpack(Tensor tensor) {
    ByteBuffer data = tensor.data();
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    int size = data.remaining();
    switch (tensor.dataType()) {
      case BOOL -> {
        for (int i = 0; i < size; i++) {
          contents.addBoolContents(data.get(i) != 0);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < size; i++) {
          contents.addUintContents(data.get(i) & 0xFF);
        }
      }
      case UINT16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          contents.addUintContents(data.getShort(i) & 0xFFFF);
        }
      }
      case UINT32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          contents.addUintContents(data.getInt(i));
        }
      }
      case UINT64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          contents.addUint64Contents(data.getLong(i));
        }
      }
      case INT8 -> {
        for (int i = 0; i < size; i++) {
          contents.addIntContents(data.get(i));
        }
      }
      case INT16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          contents.addIntContents(data.getShort(i));
        }
      }
      case INT32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          contents.addIntContents(data.getInt(i));
        }
      }
      case INT64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          contents.addInt64Contents(data.getLong(i));
        }
      }
      case FP32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          contents.addFp32Contents(data.getFloat(i));
        }
      }
      case FP64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          contents.addFp64Contents(data.getDouble(i));
        }
      }
      case BYTES -> {
        int offset = 0;
        while (offset + 4 <= size) {
          int length = data.getInt(offset);
          if (length < 0 || offset + 4L + length > size) {
            throw InferenceException.internal(
                "output '%s' BYTES element at byte %d: length %d (expected: <= %d remaining)",
                tensor.name(), offset, length, size - offset - 4);
          }
          ByteBuffer element = data.duplicate();
          element.position(offset + 4).limit(offset + 4 + length);
          contents.addBytesContents(UnsafeByteOperations.unsafeWrap(element.slice()));
          offset += 4 + length;
        }
      }
      case FP16, BF16 -> throw new IllegalArgumentException(
          "output '" + tensor.name() + "' datatype: " + tensor.dataType() + " (expected: a typed datatype)");
    }
    return contents.build();
  }
}
