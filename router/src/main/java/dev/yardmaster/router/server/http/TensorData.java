package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one JSON {@code data} value (flat or nested arrays, or a single element) into
 * little-endian tensor bytes, element by element with primitive reads.
 */
final class TensorData {

  private final String where;
  private final DataType dataType;
  private final long expectedCount;
  private ByteBuffer buffer;
  private long count;

  private TensorData(String where, DataType dataType, long expectedCount) {
    this.where = where;
    this.dataType = dataType;
    this.expectedCount = expectedCount;
    // compared before multiplying: [4, 2^60 + 2] FP32 elements would wrap to a 32-byte buffer
    if (dataType.isFixedSize() && expectedCount > (Integer.MAX_VALUE - 8) / dataType.elementSize()) {
      throw InferenceException.invalidArgument("%s byte size: %d elements of %d bytes (expected: < 2 GiB)", where,
          expectedCount, dataType.elementSize());
    }
    int initial = dataType.isFixedSize() ? (int) expectedCount * dataType.elementSize() : 64;
    this.buffer = ByteBuffer.allocate(initial).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads the value at the parser's current token, which must start the data. */
  static TensorData read(JsonParser parser, String where, DataType dataType, long[] shape) throws IOException {
    if (dataType == DataType.FP16 || dataType == DataType.BF16) {
      throw InferenceException.invalidArgument("%s datatype: %s in JSON data (expected: a datatype other than "
          + "FP16/BF16; send those as binary tensor data, parameters.binary_data_size)", where, dataType);
    }
    TensorData data = new TensorData(where, dataType, BinaryTensorData.elementCount(shape, where));
    data.readValue(parser);
    if (data.count != data.expectedCount) {
      throw InferenceException.invalidArgument("%s data: %d elements (expected: %d from shape %s)", where,
          data.count, data.expectedCount, Arrays.toString(shape));
    }
    return data;
  }

  ByteBuffer buffer() {
    return buffer.flip();
  }

  private void readValue(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.START_ARRAY) {
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null) {
          throw InferenceException.invalidArgument("%s data: truncated (expected: a closed array)", where);
        }
        readValue(parser);
      }
    } else {
      readElement(parser, parser.currentToken());
    }
  }

  private void readElement(JsonParser parser, JsonToken token) throws IOException {
    if (++count > expectedCount) {
      throw InferenceException.invalidArgument("%s data: more than %d elements (expected: %d from shape)",
          where, expectedCount, expectedCount);
    }
    switch (dataType) {
      case BOOL -> {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw element(parser, "true or false");
        }
        buffer.put(token == JsonToken.VALUE_TRUE ? (byte) 1 : (byte) 0);
      }
      case UINT8 -> buffer.put((byte) integer(parser, token, 0, 0xFFL));
      case UINT16 -> buffer.putShort((short) integer(parser, token, 0, 0xFFFFL));
      case UINT32 -> buffer.putInt((int) integer(parser, token, 0, 0xFFFF_FFFFL));
      case UINT64 -> {
        if (token != JsonToken.VALUE_NUMBER_INT) {
          throw element(parser, "an integer in [0, 2^64)");
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          java.math.BigInteger value = parser.getBigIntegerValue();
          if (value.signum() < 0 || value.bitLength() > 64) {
            throw element(parser, "an integer in [0, 2^64)");
          }
          buffer.putLong(value.longValue());
        } else {
          buffer.putLong(integer(parser, token, 0, Long.MAX_VALUE));
        }
      }
      case INT8 -> buffer.put((byte) integer(parser, token, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case INT16 -> buffer.putShort((short) integer(parser, token, Short.MIN_VALUE, Short.MAX_VALUE));
      case INT32 -> buffer.putInt((int) integer(parser, token, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case INT64 -> buffer.putLong(integer(parser, token, Long.MIN_VALUE, Long.MAX_VALUE));
      case FP32 -> buffer.putFloat((float) real(parser, token));
      case FP64 -> buffer.putDouble(real(parser, token));
      case BYTES -> {
        if (token != JsonToken.VALUE_STRING) {
          throw element(parser, "a string");
        }
        byte[] utf8 = parser.getText().getBytes(StandardCharsets.UTF_8);
        ensure(4 + utf8.length);
        buffer.putInt(utf8.length).put(utf8);
      }
      case FP16, BF16 -> throw new IllegalStateException("rejected before reading");
    }
  }

  private long integer(JsonParser parser, JsonToken token, long min, long max) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw element(parser, "an integer in [" + min + ", " + max + "]");
    }
    long value = parser.getLongValue();
    if (value < min || value > max) {
      throw element(parser, "an integer in [" + min + ", " + max + "]");
    }
    return value;
  }

  private double real(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
      throw element(parser, "a number");
    }
    return parser.getDoubleValue();
  }

  private InferenceException element(JsonParser parser, String expected) throws IOException {
    return InferenceException.invalidArgument("%s data[%d]: %s (expected: %s for %s)", where, count - 1,
        parser.getText(), expected, dataType);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      long capacity = Math.max((long) buffer.capacity() * 2, (long) buffer.position() + bytes);
      if (capacity > Integer.MAX_VALUE - 8) {
        throw InferenceException.invalidArgument("%s byte size: over 2 GiB (expected: less)", where);
      }
      ByteBuffer larger = ByteBuffer.allocate((int) capacity).order(ByteOrder.LITTLE_ENDIAN);
      buffer.flip();
      larger.put(buffer);
      buffer = larger;
    }
  }
}
