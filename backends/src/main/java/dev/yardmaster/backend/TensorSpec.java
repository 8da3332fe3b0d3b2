package dev.yardmaster.backend;

import dev.yardmaster.protocol.DataType;

/**
 * A model input or output as the model config declares it.
 *
 * @param name tensor name
 * @param dataType element type
 * @param dims dimensions without the batch dimension when the model batches; -1 is variable
 */
public record TensorSpec(String name, DataType dataType, long[] dims) {
  public TensorSpec {
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** The full shape a client sees: with a leading -1 batch dimension when the model batches. */
  public long[] shape(boolean batched) {
    if (!batched) {
      return dims.clone();
    }
    long[] shape = new long[dims.length + 1];
    shape[0] = -1;
    System.arraycopy(dims, 0, shape, 1, dims.length);
    return shape;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec spec
        && name.equals(spec.name) && dataType == spec.dataType && java.util.Arrays.equals(dims, spec.dims);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + java.util.Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + ":" + dataType + java.util.Arrays.toString(dims);
  }
}
