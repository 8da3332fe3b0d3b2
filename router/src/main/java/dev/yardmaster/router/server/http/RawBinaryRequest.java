package dev.yardmaster.router.server.http;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.OutputClassification;
import dev.yardmaster.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Triton's raw binary request: with {@code Inference-Header-Content-Length: 0} the whole body is the
 * data of the model's only input, with no JSON header. As Triton deduces it from the model config:
 * the input's name and datatype are the config's; its shape is the config's dims, after a batch
 * dimension of 1 when the model batches, with the one variable-sized dimension (if any) read from
 * the body's byte size. A BYTES input must have dims {@code [1]}: the body is its one element.
 * Every output comes back as binary tensor data.
 */
final class RawBinaryRequest {

  private static final OutputFormat ALL_BINARY = new OutputFormat(true, Map.of());

  private RawBinaryRequest() {}

  /** Whether the {@code Inference-Header-Content-Length} header marks a raw binary request (it is 0). */
  static boolean marks(@Nullable String headerLength) {
    if (headerLength == null) {
      return false;
    }
    try {
      return Long.parseLong(headerLength.trim()) == 0;
    } catch (NumberFormatException malformed) {
      return false; // refused by BinaryTensorData, naming the header
    }
  }

  /**
   * The request a raw body makes for {@code spec}.
   *
   * @throws InferenceException INVALID_ARGUMENT when the model does not have exactly one input, its
   *     shape cannot be deduced, or the body does not fill a whole shape
   */
  static DecodedInfer decode(ModelSpec spec, String version, byte[] body, long arrivalNanos) {
    if (spec.inputs().size() != 1) {
      throw InferenceException.invalidArgument("raw binary request (Inference-Header-Content-Length: 0) to "
          + "model '%s' with %d inputs (expected: a model with exactly 1 input, whose data is the whole "
          + "body; send a JSON header to give several inputs)", spec.name(), spec.inputs().size());
    }
    TensorSpec input = spec.inputs().get(0);
    if (body.length == 0) {
      throw InferenceException.invalidArgument("raw binary request (Inference-Header-Content-Length: 0): empty "
          + "body (expected: the data of input '%s', %s)", input.name(), input.dataType());
    }
    Tensor tensor = input.dataType() == DataType.BYTES
        ? bytesTensor(input, spec.batched(), body)
        : fixedSizeTensor(input, spec.batched(), body);
    InferRequest request = new InferRequest(spec.name(), version, "", List.of(tensor), List.of(), Map.of(),
        0, 0, arrivalNanos); // the model's default priority and queue timeout
    return new DecodedInfer(request, ALL_BINARY, OutputClassification.NONE);
  }

  /** The shape from the dims, with the one variable-sized dimension filled from the body's size. */
  private static Tensor fixedSizeTensor(TensorSpec input, boolean batched, byte[] body) {
    long[] shape = input.shape(batched);
    if (batched) {
      shape[0] = 1;
    }
    int variable = -1;
    long fixedBytes = input.dataType().elementSize();
    for (int axis = 0; axis < shape.length; axis++) {
      if (shape[axis] >= 0) {
        fixedBytes = multiply(fixedBytes, shape[axis], input);
      } else if (variable >= 0) {
        throw InferenceException.invalidArgument("raw binary request: the shape of input '%s' cannot be deduced "
            + "from dims %s, which have more than one variable-sized dimension (expected: at most one -1 dim; "
            + "send a JSON header with the shape)", input.name(), Arrays.toString(input.dims()));
      } else {
        variable = axis;
      }
    }
    boolean fills = variable >= 0
        ? fixedBytes > 0 && body.length % fixedBytes == 0
        : body.length == fixedBytes;
    if (!fills) {
      throw InferenceException.invalidArgument("raw binary request: body of %d bytes for input '%s' %s shape %s "
          + "(expected: %s bytes)", body.length, input.name(), input.dataType(), Arrays.toString(shape),
          variable >= 0 ? "a multiple of " + fixedBytes : Long.toString(fixedBytes));
    }
    if (variable >= 0) {
      shape[variable] = body.length / fixedBytes;
    }
    return Tensor.of(input.name(), input.dataType(), shape, ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** The body as the one element of a BYTES input of dims [1]: Triton prepends its 4-byte length. */
  private static Tensor bytesTensor(TensorSpec input, boolean batched, byte[] body) {
    if (!Arrays.equals(input.dims(), new long[] {1})) {
      throw InferenceException.invalidArgument("raw binary request: BYTES input '%s' has dims %s (expected: dims "
          + "[1], one element that is the whole body; send a JSON header for other shapes)", input.name(),
          Arrays.toString(input.dims()));
    }
    long[] shape = batched ? new long[] {1, 1} : new long[] {1};
    return Tensor.of(input.name(), DataType.BYTES, shape, Tensor.bytesData(List.of(body)));
  }

  private static long multiply(long bytes, long dim, TensorSpec input) {
    try {
      return Math.multiplyExact(bytes, dim);
    } catch (ArithmeticException overflow) {
      throw InferenceException.invalidArgument("raw binary request: input '%s' dims %s (expected: fewer than "
          + "2^63 bytes)", input.name(), Arrays.toString(input.dims()));
    }
  }
}
