package dev.yardmaster.backend.batching;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What requests must share to join one batch: the same input names, datatypes and non-batch
 * dimensions, in any input order. {@link #matches} checks a request without allocating, so a
 * scheduler can reuse the key of the previous request, as nearly every request of a model has it.
 */
final class BatchKey {

  /** One input, sorted by name. */
  private record Input(String name, DataType dataType, long[] innerDims) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Input input && name.equals(input.name) && dataType == input.dataType
          && Arrays.equals(innerDims, input.innerDims);
    }

    @Override
    public int hashCode() {
      return (name.hashCode() * 31 + dataType.hashCode()) * 31 + Arrays.hashCode(innerDims);
    }
  }

  private final Input[] inputs;
  private final int hash;

  private BatchKey(Input[] inputs) {
    this.inputs = inputs;
    this.hash = Arrays.hashCode(inputs);
  }

  /** The key of a request whose inputs each have a batch dimension first. */
  static BatchKey of(InferRequest request) {
    List<Tensor> tensors = request.inputs();
    Input[] inputs = new Input[tensors.size()];
    for (int i = 0; i < inputs.length; i++) {
      Tensor tensor = tensors.get(i);
      long[] shape = tensor.shape();
      inputs[i] = new Input(tensor.name(), tensor.dataType(), Arrays.copyOfRange(shape, 1, shape.length));
    }
    Arrays.sort(inputs, Comparator.comparing(Input::name));
    return new BatchKey(inputs);
  }

  /** Whether {@link #of} would give the request a key equal to this one; allocates nothing. */
  boolean matches(InferRequest request) {
    List<Tensor> tensors = request.inputs();
    if (tensors.size() != inputs.length || inputs.length > Long.SIZE) {
      return false;
    }
    long seen = 0; // a name given twice must not stand in for another input
    for (Tensor tensor : tensors) {
      int index = indexOf(tensor.name());
      if (index < 0 || (seen & 1L << index) != 0) {
        return false;
      }
      seen |= 1L << index;
      Input input = inputs[index];
      if (input.dataType != tensor.dataType() || input.innerDims.length != tensor.rank() - 1) {
        return false;
      }
      for (int d = 0; d < input.innerDims.length; d++) {
        if (input.innerDims[d] != tensor.dim(d + 1)) {
          return false;
        }
      }
    }
    return true;
  }

  private int indexOf(String name) {
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].name.equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof BatchKey key && hash == key.hash && Arrays.equals(inputs, key.inputs);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (Input input : inputs) {
      text.append(text.length() > 1 ? ", " : "").append(input.name).append(':').append(input.dataType)
          .append(Arrays.toString(input.innerDims));
    }
    return text.append(']').toString();
  }
}
