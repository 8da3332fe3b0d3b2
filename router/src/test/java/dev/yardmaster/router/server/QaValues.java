package dev.yardmaster.router.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The integer-valued tensors of Triton's {@code qa/common/infer_util.py}, any datatype (BYTES
 * holds decimal strings, as {@code str(x)}): drawn in infer_util's ranges, encoded each way a
 * client sends them and decoded from each way an answer carries them, so every comparison is exact.
 */
final class QaValues {

  private QaValues() {}

  /** infer_util's {@code _range_repr_dtype}: the integer type whose range keeps a type's values exact. */
  static DataType rangeType(DataType type) {
    return switch (type) {
      case FP64, BYTES -> DataType.INT32;
      case FP32 -> DataType.INT16;
      case FP16 -> DataType.INT8;
      default -> type;
    };
  }

  static long min(DataType integerType) {
    return switch (integerType) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      case UINT8, BOOL -> 0;
      default -> throw new IllegalArgumentException("integer type: " + integerType);
    };
  }

  static long max(DataType integerType) {
    return switch (integerType) {
      case INT8 -> Byte.MAX_VALUE;
      case INT16 -> Short.MAX_VALUE;
      case INT32 -> Integer.MAX_VALUE;
      case INT64 -> Long.MAX_VALUE;
      case UINT8 -> 255;
      case BOOL -> 1;
      default -> throw new IllegalArgumentException("integer type: " + integerType);
    };
  }

  /** {@code count} values drawn uniformly from [low, high), as numpy's randint. */
  static long[] random(Random random, int count, long low, long high) {
    long[] values = new long[count];
    for (int i = 0; i < count; i++) {
      values[i] = low + (long) (random.nextDouble() * (double) (high - low));
    }
    return values;
  }

  /** The bytes of {@code raw_input_contents} or of HTTP binary data (BYTES: length-prefixed strings). */
  static ByteString raw(DataType type, long[] values) {
    if (type == DataType.BYTES) {
      return TritonRequests.serialized(TritonRequests.utf8(strings(values)));
    }
    ByteBuffer out = ByteBuffer.allocate(values.length * type.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      switch (type) {
        case BOOL, UINT8, INT8 -> out.put((byte) value);
        case INT16 -> out.putShort((short) value);
        case FP16 -> out.putShort(half(value));
        case INT32 -> out.putInt((int) value);
        case INT64 -> out.putLong(value);
        case FP32 -> out.putFloat(value);
        case FP64 -> out.putDouble(value);
        default -> throw new IllegalArgumentException("datatype: " + type);
      }
    }
    return ByteString.copyFrom(out.array());
  }

  /** Typed gRPC contents, or null for FP16, which has no typed field. */
  static @Nullable InferTensorContents typed(DataType type, long[] values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (long value : values) {
      switch (type) {
        case BOOL -> contents.addBoolContents(value != 0);
        case UINT8 -> contents.addUintContents((int) value);
        case INT8, INT16, INT32 -> contents.addIntContents((int) value);
        case INT64 -> contents.addInt64Contents(value);
        case FP32 -> contents.addFp32Contents(value);
        case FP64 -> contents.addFp64Contents(value);
        case BYTES -> contents.addBytesContents(ByteString.copyFromUtf8(Long.toString(value)));
        default -> {
          return null;
        }
      }
    }
    return contents.build();
  }

  /** HTTP JSON {@code data}, as tritonclient writes numpy's {@code tolist()}. */
  static String json(DataType type, long[] values) {
    ArrayNode data = BinaryInferBody.JSON.createArrayNode();
    for (long value : values) {
      switch (type) {
        case BYTES -> data.add(Long.toString(value));
        case BOOL -> data.add(value != 0);
        case FP16, FP32, FP64 -> data.add((double) value);
        default -> data.add(value);
      }
    }
    return data.toString();
  }

  static long[] fromRaw(DataType type, ByteString raw) {
    ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<Long> values = new ArrayList<>();
    while (in.hasRemaining()) {
      values.add(switch (type) {
        case BOOL, INT8 -> (long) in.get();
        case UINT8 -> (long) (in.get() & 0xFF);
        case INT16 -> (long) in.getShort();
        case FP16 -> exact(halfToFloat(in.getShort()));
        case INT32 -> (long) in.getInt();
        case INT64 -> in.getLong();
        case FP32 -> exact(in.getFloat());
        case FP64 -> exact(in.getDouble());
        case BYTES -> {
          byte[] element = new byte[in.getInt()];
          in.get(element);
          yield decimal(new String(element, StandardCharsets.UTF_8));
        }
        default -> throw new IllegalArgumentException("datatype: " + type);
      });
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  static long[] fromTyped(DataType type, InferTensorContents contents) {
    return switch (type) {
      case BOOL -> contents.getBoolContentsList().stream().mapToLong(value -> value ? 1 : 0).toArray();
      case UINT8 -> contents.getUintContentsList().stream().mapToLong(Integer::longValue).toArray();
      case INT8, INT16, INT32 -> contents.getIntContentsList().stream().mapToLong(Integer::longValue).toArray();
      case INT64 -> contents.getInt64ContentsList().stream().mapToLong(Long::longValue).toArray();
      case FP32 -> contents.getFp32ContentsList().stream().mapToLong(QaValues::exact).toArray();
      case FP64 -> contents.getFp64ContentsList().stream().mapToLong(QaValues::exact).toArray();
      case BYTES -> contents.getBytesContentsList().stream()
          .mapToLong(element -> decimal(element.toStringUtf8())).toArray();
      default -> throw new IllegalArgumentException("datatype with typed contents: " + type);
    };
  }

  static long[] fromJson(DataType type, JsonNode data) {
    long[] values = new long[data.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode element = data.get(i);
      values[i] = switch (type) {
        case BYTES -> decimal(element.asText());
        case BOOL -> element.asBoolean() ? 1 : 0;
        case FP16, FP32, FP64 -> exact(element.asDouble());
        default -> element.asLong();
      };
    }
    return values;
  }

  static String[] strings(long[] values) {
    String[] strings = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      strings[i] = Long.toString(values[i]);
    }
    return strings;
  }

  /** A decimal string as Python's {@code str(int)} writes it, and nothing else. */
  private static long decimal(String text) {
    long value = Long.parseLong(text);
    if (!Long.toString(value).equals(text)) {
      throw new AssertionError("element '" + text + "' (expected: " + value + " as str() writes it)");
    }
    return value;
  }

  private static long exact(double value) {
    if (value != Math.rint(value)) {
      throw new AssertionError("element " + value + " (expected: an integer, as every qa value is)");
    }
    return (long) value;
  }

  /** IEEE half of an integer of at most 11 bits, exact. */
  private static short half(long value) {
    if (value == 0) {
      return 0;
    }
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
    return (short) (sign | (exponent << 10) | ((bits >>> 13) & 0x3FF));
  }

  private static float halfToFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    if (exponent == 0 || exponent == 0x1F) {
      return (bits & 0x7FFF) == 0 ? Float.intBitsToFloat(sign) : Float.NaN; // subnormals never occur here
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | ((bits & 0x3FF) << 13));
  }
}
