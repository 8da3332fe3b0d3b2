package dev.yardmaster.router.server.http;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The request side of Triton's binary tensor data extension: the body is a JSON header of
 * {@code Inference-Header-Content-Length} bytes followed by the raw bytes of the binary inputs,
 * in input order, each {@code parameters.binary_data_size} long (little-endian, row major; BYTES
 * elements as a 4-byte little-endian length and the bytes). The tensors wrap the body's bytes
 * without copying them.
 */
final class BinaryTensorData {

  /** The request and response header giving the byte length of the JSON before the binary data. */
  static final String HEADER_LENGTH_HEADER = "inference-header-content-length";

  private BinaryTensorData() {}

  /**
   * The byte length of the JSON header: the whole body when the header is absent.
   *
   * @throws InferenceException INVALID_ARGUMENT when the header is not a length within the body
   */
  static int jsonLength(@Nullable String headerValue, int bodyLength) {
    if (headerValue == null) {
      return bodyLength;
    }
    long length;
    try {
      length = Long.parseLong(headerValue.trim());
    } catch (NumberFormatException notANumber) {
      length = -1;
    }
    if (length <= 0 || length > bodyLength) { // 0 is a raw binary request, decoded before this
      throw InferenceException.invalidArgument("Inference-Header-Content-Length: %s (expected: an integer in "
          + "[1, %d], the byte length of the JSON header within the %d-byte body)", headerValue, bodyLength,
          bodyLength);
    }
    return (int) length;
  }

  /**
   * The input tensors, JSON inputs as decoded and binary inputs cut from the body after the JSON.
   *
   * @param headerGiven whether the request had an {@code Inference-Header-Content-Length} header
   * @throws InferenceException INVALID_ARGUMENT naming the input and the expected byte count when
   *     a size does not match its shape, or the binary data does not add up to the sizes
   */
  static List<Tensor> attach(List<RequestInput> inputs, byte[] body, int jsonLength, boolean headerGiven) {
    long declared = 0;
    StringJoiner sizes = new StringJoiner(", ", "[", "]");
    for (RequestInput input : inputs) {
      if (input.isBinary()) {
        checkSizeMatchesShape(input);
        declared += input.binaryDataSize();
        sizes.add(input.name() + ": " + input.binaryDataSize());
      }
    }
    long available = (long) body.length - jsonLength;
    if (declared > 0 && !headerGiven) {
      throw InferenceException.invalidArgument("request header Inference-Header-Content-Length: missing "
          + "(expected: the byte length of the JSON, followed by %d bytes of binary tensor data for inputs %s)",
          declared, sizes);
    }
    if (declared != available) {
      throw InferenceException.invalidArgument("binary tensor data: %d bytes after the %d-byte JSON header "
          + "(expected: %d, the sum of parameters.binary_data_size of inputs %s)", available, jsonLength,
          declared, sizes);
    }
    List<Tensor> tensors = new ArrayList<>(inputs.size());
    int offset = jsonLength;
    for (RequestInput input : inputs) {
      if (!input.isBinary()) {
        tensors.add(input.jsonTensor());
        continue;
      }
      int size = (int) input.binaryDataSize(); // the body holds it, so it fits an int
      ByteBuffer data = ByteBuffer.wrap(body, offset, size).slice().order(ByteOrder.LITTLE_ENDIAN);
      if (input.dataType() == DataType.BYTES) {
        checkBytesElements(input, data);
      }
      tensors.add(Tensor.of(input.name(), input.dataType(), input.shape(), data));
      offset += size;
    }
    return tensors;
  }

  private static void checkSizeMatchesShape(RequestInput input) {
    DataType type = input.dataType();
    long elements = elementCount(input.shape(), "input '" + input.name() + "'");
    if (!type.isFixedSize()) {
      return;
    }
    long expected = elements > Long.MAX_VALUE / type.elementSize() ? -1 : elements * type.elementSize();
    if (expected != input.binaryDataSize()) {
      throw InferenceException.invalidArgument("input '%s' parameters.binary_data_size: %d (expected: %s bytes, "
          + "%d elements of %s from shape %s)", input.name(), input.binaryDataSize(),
          expected < 0 ? "more than 2^63" : Long.toString(expected), elements, type, input.shapeText());
    }
  }

  /**
   * The number of elements of a shape.
   *
   * @throws InferenceException INVALID_ARGUMENT when the count does not fit 63 bits
   */
  static long elementCount(long[] shape, String where) {
    long count = 1;
    for (long dim : shape) {
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException overflow) {
        throw InferenceException.invalidArgument("%s shape: %s (expected: fewer than 2^63 elements)", where,
            Arrays.toString(shape));
      }
    }
    return count;
  }

  /** BYTES elements: as many 4-byte length prefixed elements as the shape has, filling the size. */
  private static void checkBytesElements(RequestInput input, ByteBuffer data) {
    long expectedElements = elementCount(input.shape(), "input '" + input.name() + "'");
    int size = data.remaining();
    int offset = 0;
    long elements = 0;
    while (offset < size) {
      if (size - offset < Integer.BYTES) {
        throw InferenceException.invalidArgument("input '%s' BYTES element %d at byte %d: %d bytes left "
            + "(expected: a 4-byte little-endian length)", input.name(), elements, offset, size - offset);
      }
      long length = Integer.toUnsignedLong(data.getInt(offset));
      offset += Integer.BYTES;
      if (length > size - offset) {
        throw InferenceException.invalidArgument("input '%s' BYTES element %d at byte %d: length %d (expected: "
            + "<= %d, the bytes left of binary_data_size %d)", input.name(), elements, offset - Integer.BYTES,
            length, size - offset, size);
      }
      offset += (int) length;
      elements++;
    }
    if (elements != expectedElements) {
      throw InferenceException.invalidArgument("input '%s' BYTES data: %d elements in %d bytes (expected: %d "
          + "from shape %s, each a 4-byte little-endian length and its bytes)", input.name(), elements, size,
          expectedElements, input.shapeText());
    }
  }
}
