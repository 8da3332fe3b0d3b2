package dev.yardmaster.router.server.http;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One input of a KServe v2 HTTP request as its JSON header gives it: either with its elements
 * ({@code data}, already encoded) or with {@code parameters.binary_data_size}, its byte count in
 * the binary tensor data that follows the JSON.
 *
 * @param jsonData the elements from {@code data}, or null for a binary input
 * @param binaryDataSize the byte count of a binary input, or {@link #JSON} for a JSON one
 */
record RequestInput(String name, DataType dataType, long[] shape, @Nullable ByteBuffer jsonData,
    long binaryDataSize) {

  /** The {@code binaryDataSize} of an input whose elements came as JSON {@code data}. */
  static final long JSON = -1;

  static RequestInput json(String name, DataType dataType, long[] shape, ByteBuffer data) {
    return new RequestInput(name, dataType, shape, data, JSON);
  }

  static RequestInput binary(String name, DataType dataType, long[] shape, long binaryDataSize) {
    return new RequestInput(name, dataType, shape, null, binaryDataSize);
  }

  boolean isBinary() {
    return jsonData == null;
  }

  /** The tensor of a JSON input. */
  Tensor jsonTensor() {
    if (jsonData == null) {
      throw new IllegalStateException("input '" + name + "' is binary");
    }
    return Tensor.of(name, dataType, shape, jsonData);
  }

  String shapeText() {
    return Arrays.toString(shape);
  }
}
