package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins the same input of several requests into one batch tensor along dimension 0, and splits a
 * batch output back into per-request tensors. Rows are contiguous in the row-major layout, so a
 * join is one copy into one buffer and a split is a set of slices of the output's buffer.
 */
public final class TensorBatching {

  private TensorBatching() {}

  /**
   * One tensor holding {@code parts} one after another along dimension 0; the single part itself
   * when there is only one (no copy).
   *
   * @throws InferenceException INVALID_ARGUMENT when the parts differ in datatype or non-batch shape
   */
  public static Tensor concat(String name, List<Tensor> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("parts of '" + name + "': 0 (expected: >= 1)");
    }
    Tensor first = parts.get(0);
    if (first.rank() < 1) {
      throw InferenceException.invalidArgument("input '%s' rank: 0 (expected: >= 1 with a batch dimension)", name);
    }
    if (parts.size() == 1) {
      return first;
    }
    long[] shape = first.shape();
    long rows = 0;
    long bytes = 0;
    for (Tensor part : parts) {
      if (part.dataType() != first.dataType()) {
        throw InferenceException.invalidArgument("input '%s' datatype: %s (expected: %s as the rest of the batch)",
            name, part.dataType(), first.dataType());
      }
      long[] partShape = part.shape();
      if (partShape.length != shape.length
          || !Arrays.equals(partShape, 1, partShape.length, shape, 1, shape.length)) {
        throw InferenceException.invalidArgument("input '%s' shape: %s (expected: [-1%s] as the rest of the batch)",
            name, Arrays.toString(partShape), tail(shape));
      }
      rows += partShape[0];
      bytes += part.byteSize();
    }
    if (bytes > Integer.MAX_VALUE) {
      throw InferenceException.invalidArgument("input '%s' batch byte size: %d (expected: <= %d)",
          name, bytes, Integer.MAX_VALUE);
    }
    ByteBuffer joined = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor part : parts) {
      joined.put(part.data());
    }
    joined.flip();
    shape[0] = rows;
    return Tensor.of(name, first.dataType(), shape, joined);
  }

  /**
   * Splits a batch output into tensors of {@code rows[i]} rows each, in order, as slices of its
   * buffer; the tensor itself when there is one part.
   *
   * @throws InferenceException INTERNAL when the output does not hold exactly the rows asked for
   */
  public static List<Tensor> split(Tensor batched, int[] rows) {
    long total = 0;
    for (int count : rows) {
      total += count;
    }
    if (batched.rank() < 1 || batched.dim(0) != total) {
      throw InferenceException.internal("output '%s' shape: %s (expected: %d rows in dimension 0, the batch's rows)",
          batched.name(), Arrays.toString(batched.shape()), total);
    }
    if (rows.length == 1) {
      return List.of(batched);
    }
    long[] shape = batched.shape();
    long elementsPerRow = Tensor.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
    ByteBuffer data = batched.data();
    List<Tensor> parts = new ArrayList<>(rows.length);
    int offset = 0;
    for (int count : rows) {
      int end = batched.dataType().isFixedSize()
          ? offset + (int) (count * elementsPerRow * batched.dataType().elementSize())
          : skipStrings(batched.name(), data, offset, count * elementsPerRow);
      if (end > data.limit()) {
        throw InferenceException.internal("output '%s' byte size: %d (expected: >= %d for %s)",
            batched.name(), data.limit(), end, Arrays.toString(shape));
      }
      long[] partShape = shape.clone();
      partShape[0] = count;
      ByteBuffer slice = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      slice.limit(end).position(offset);
      parts.add(Tensor.of(batched.name(), batched.dataType(), partShape, slice));
      offset = end;
    }
    return parts;
  }

  /** The offset after {@code elements} length-prefixed BYTES elements starting at {@code offset}. */
  private static int skipStrings(String name, ByteBuffer data, int offset, long elements) {
    int position = offset;
    for (long i = 0; i < elements; i++) {
      if (position + Integer.BYTES > data.limit()) {
        throw InferenceException.internal(
            "output '%s' BYTES element %d: truncated at byte %d (expected: a 4-byte length)", name, i, position);
      }
      int length = data.getInt(position);
      if (length < 0 || position + Integer.BYTES + (long) length > data.limit()) {
        throw InferenceException.internal("output '%s' BYTES element %d length: %d (expected: <= %d bytes left)",
            name, i, length, data.limit() - position - Integer.BYTES);
      }
      position += Integer.BYTES + length;
    }
    return position;
  }

  private static String tail(long[] shape) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i < shape.length; i++) {
      text.append(", ").append(shape[i]);
    }
    return text.toString();
  }
}
