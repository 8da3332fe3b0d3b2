package dev.yardmaster.backend.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * One tensor's Triton {@code reshape}: clients see {@code dims}, the model sees
 * {@code reshape.shape}, both without the batch dimension. As in Triton's {@code ValidateIOShape},
 * the fixed dims between one variable (-1) dim and the next hold as many elements on both sides,
 * e.g. {@code [2, 4, -1, 6]} and {@code [8, -1, 1, 6]}; the variable dims pair up in order, so a
 * request's sizes for them carry over.
 *
 * @param dims the shape clients see
 * @param modelShape the shape the model sees
 */
record TensorReshape(List<Long> dims, List<Long> modelShape) {

  TensorReshape {
    dims = List.copyOf(dims);
    modelShape = List.copyOf(modelShape);
  }

  /** The problem with this pair, in the project's grammar, or "" when they agree. */
  String problem() {
    for (long dim : modelShape) {
      if (dim < -1 || dim == 0) {
        return "reshape.shape: " + modelShape + " (expected: each dim -1 or >= 1)";
      }
    }
    List<Long> dimsSegments = segmentSizes(dims);
    List<Long> shapeSegments = segmentSizes(modelShape);
    if (dimsSegments.size() != shapeSegments.size() || product(dimsSegments) != product(shapeSegments)) {
      return "reshape.shape: " + modelShape + " (expected: as many elements as dims " + dims
          + ", with as many -1 dims)";
    }
    if (!dimsSegments.equals(shapeSegments)) {
      return "reshape.shape: " + modelShape + " (expected: the fixed dims before, between and after the -1 dims "
          + "to hold as many elements as in dims " + dims + ")";
    }
    return "";
  }

  /** The model's shape of a client shape (batch dimension first when {@code batched}). */
  long[] toModel(long[] clientShape, boolean batched) {
    return convert(clientShape, batched, dims, modelShape);
  }

  /** The client's shape of a model shape (batch dimension first when {@code batched}). */
  long[] toClient(long[] modelShapeSeen, boolean batched) {
    return convert(modelShapeSeen, batched, modelShape, dims);
  }

  /** Fills {@code to}'s -1 dims, in order, with the sizes {@code shape} has at {@code from}'s -1 dims. */
  private static long[] convert(long[] shape, boolean batched, List<Long> from, List<Long> to) {
    int offset = batched ? 1 : 0;
    List<Long> variable = new ArrayList<>();
    for (int d = 0; d < from.size() && d + offset < shape.length; d++) {
      if (from.get(d) == -1L) {
        variable.add(shape[d + offset]);
      }
    }
    long[] converted = new long[offset + to.size()];
    if (batched) {
      converted[0] = shape[0];
    }
    int next = 0;
    for (int d = 0; d < to.size(); d++) {
      long dim = to.get(d);
      converted[offset + d] = dim == -1L && next < variable.size() ? variable.get(next++) : dim;
    }
    return converted;
  }

  /** The element counts of the runs of fixed dims before, between and after the -1 dims. */
  private static List<Long> segmentSizes(List<Long> shape) {
    List<Long> sizes = new ArrayList<>();
    long product = 1;
    for (long dim : shape) {
      if (dim == -1L) {
        sizes.add(product);
        product = 1;
      } else {
        product = Math.multiplyExact(product, dim);
      }
    }
    sizes.add(product);
    return sizes;
  }

  private static long product(List<Long> sizes) {
    long product = 1;
    for (long size : sizes) {
      product = Math.multiplyExact(product, size);
    }
    return product;
  }
}
