package dev.yardmaster.backend.repository;

import com.google.common.base.Utf8;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelInput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a request against a model version's spec before it is scheduled: input names, datatypes,
 * shapes, batch size and byte sizes, BYTES length prefixes and UTF-8 text, and requested outputs. The first problem
 * found is thrown as an INVALID_ARGUMENT {@link InferenceException} naming the tensor, the value
 * seen and what was expected. Thread safe and allocation-light; one per model version.
 */
public final class RequestValidator {

  private final ModelSpec spec;
  private final Set<String> optionalInputs = new HashSet<>();
  private final List<String> inputNames;
  private final List<String> outputNames;

  public RequestValidator(ModelSpec spec) {
    this.spec = spec;
    for (ModelInput input : spec.config().getInputList()) {
      if (input.getOptional()) {
        optionalInputs.add(input.getName());
      }
    }
    this.inputNames = spec.inputs().stream().map(TensorSpec::name).toList();
    this.outputNames = spec.outputs().stream().map(TensorSpec::name).toList();
  }

  /**
   * Validates the request.
   *
   * @return the request's batch size in rows (1 for a model that does not batch)
   * @throws InferenceException INVALID_ARGUMENT describing the first problem
   */
  public int validate(InferRequest request) {
    boolean batched = spec.batched();
    List<Tensor> inputs = request.inputs();
    long batchSize = -1;
    String batchSource = "";
    Set<String> seen = new HashSet<>(inputs.size() * 2);
    for (Tensor input : inputs) {
      String name = input.name();
      TensorSpec declared = spec.input(name);
      if (declared == null) {
        throw InferenceException.invalidArgument("input '%s' name: unknown to model '%s' (expected: one of %s)",
            name, spec.name(), inputNames);
      }
      if (!seen.add(name)) {
        throw InferenceException.invalidArgument("input '%s': given twice (expected: each input once)", name);
      }
      if (input.dataType() != declared.dataType()) {
        throw InferenceException.invalidArgument("input '%s' datatype: %s (expected: %s)",
            name, input.dataType(), declared.dataType());
      }
      long[] expected = declared.shape(batched);
      long[] shape = input.shape();
      if (shape.length != expected.length) {
        throw InferenceException.invalidArgument("input '%s' rank: %d for shape %s (expected: %d for shape %s)",
            name, shape.length, format(shape), expected.length, format(expected));
      }
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] < 0 || (expected[d] != -1 && expected[d] != shape[d])) {
          throw InferenceException.invalidArgument("input '%s' shape: %s (expected: %s)", name, format(shape),
              format(expected));
        }
      }
      if (batched) {
        long rows = shape[0];
        if (rows == 0) {
          throw InferenceException.invalidArgument("input '%s' batch size: 0 (expected: >= 1)", name);
        }
        if (rows > spec.maxBatchSize()) {
          throw InferenceException.invalidArgument("input '%s' batch size: %d (expected: <= %d, the max_batch_size)",
              name, rows, spec.maxBatchSize());
        }
        if (batchSize == -1) {
          batchSize = rows;
          batchSource = name;
        } else if (rows != batchSize) {
          throw InferenceException.invalidArgument(
              "input '%s' batch size: %d (expected: %d, the batch size of input '%s')", name, rows, batchSize,
              batchSource);
        }
      }
      checkData(input, shape);
    }
    if (seen.size() < inputNames.size()) {
      checkRequiredInputs(seen);
    }
    checkRequestedOutputs(request.requestedOutputs());
    return batched && batchSize > 0 ? (int) batchSize : 1;
  }

  /** Names every required input the request lacks, as Triton's ValidateRequestInputs does. */
  private void checkRequiredInputs(Set<String> seen) {
    List<String> missing = new ArrayList<>();
    for (String required : inputNames) {
      if (!seen.contains(required) && !optionalInputs.contains(required)) {
        missing.add("'" + required + "'");
      }
    }
    if (missing.size() == 1) {
      throw InferenceException.invalidArgument("input %s: missing (expected: inputs %s)", missing.get(0), inputNames);
    }
    if (!missing.isEmpty()) {
      throw InferenceException.invalidArgument("inputs %s: missing (expected: inputs %s)", String.join(", ", missing),
          inputNames);
    }
  }

  private void checkRequestedOutputs(List<String> requested) {
    for (int i = 0; i < requested.size(); i++) {
      String name = requested.get(i);
      if (spec.output(name) == null) {
        throw InferenceException.invalidArgument("output '%s' name: unknown to model '%s' (expected: one of %s)",
            name, spec.name(), outputNames);
      }
      if (requested.subList(0, i).contains(name)) {
        throw InferenceException.invalidArgument("output '%s': requested twice (expected: each output once)", name);
      }
    }
  }

  private static void checkData(Tensor input, long[] shape) {
    long elements;
    try {
      elements = 1;
      for (long dim : shape) {
        elements = Math.multiplyExact(elements, dim);
      }
    } catch (ArithmeticException e) {
      elements = Long.MAX_VALUE;
    }
    DataType type = input.dataType();
    if (type.isFixedSize()) {
      long expectedBytes = elements > Long.MAX_VALUE / type.elementSize() ? Long.MAX_VALUE : elements * type.elementSize();
      if (input.byteSize() != expectedBytes) {
        throw InferenceException.invalidArgument("input '%s' byte size: %d (expected: %d for shape %s %s)",
            input.name(), input.byteSize(), expectedBytes, format(shape), type);
      }
      return;
    }
    checkBytesElements(input, shape, elements);
  }

  /** BYTES: each element is a 4-byte little-endian length then that many bytes, back to back. */
  private static void checkBytesElements(Tensor input, long[] shape, long elements) {
    ByteBuffer data = input.data();
    int size = data.remaining();
    int position = 0;
    long element = 0;
    while (element < elements) {
      if (size - position < Integer.BYTES) {
        throw InferenceException.invalidArgument(
            "input '%s' BYTES element %d: %d bytes left for its 4-byte length prefix (expected: %d elements for "
                + "shape %s)", input.name(), element, size - position, elements, format(shape));
      }
      long length = Integer.toUnsignedLong(data.getInt(position));
      position += Integer.BYTES;
      if (length > size - position) {
        throw InferenceException.invalidArgument(
            "input '%s' BYTES element %d length prefix: %d (expected: <= %d, the bytes left)",
            input.name(), element, length, size - position);
      }
      if (!isUtf8(data, position, (int) length)) {
        throw InferenceException.invalidArgument("input '%s' BYTES element %d: not valid UTF-8 (expected: UTF-8 text;"
            + " ONNX Runtime's Java API takes string tensors as text, so other bytes cannot reach the model unchanged)",
            input.name(), element);
      }
      position += (int) length;
      element++;
    }
    if (position != size) {
      throw InferenceException.invalidArgument(
          "input '%s' byte size: %d (expected: %d, the %d length-prefixed BYTES elements of shape %s)",
          input.name(), size, position, elements, format(shape));
    }
  }

  /** Whether {@code length} bytes of {@code data} from absolute {@code position} are well-formed UTF-8. */
  private static boolean isUtf8(ByteBuffer data, int position, int length) {
    for (int i = position; i < position + length; i++) {
      if (data.get(i) < 0) { // past ASCII: check this element properly
        if (data.hasArray()) {
          return Utf8.isWellFormed(data.array(), data.arrayOffset() + position, length);
        }
        byte[] copy = new byte[length];
        data.get(position, copy);
        return Utf8.isWellFormed(copy);
      }
    }
    return true;
  }

  /** A shape as {@code [1,28]}. */
  static String format(long[] shape) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(shape[i]);
    }
    return text.append(']').toString();
  }
}
