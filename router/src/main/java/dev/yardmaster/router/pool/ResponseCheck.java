package dev.yardmaster.router.pool;

import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cheap structural checks of an endpoint's response, so garbage (raw contents whose byte size does
 * not match the declared shape and datatype, unknown datatypes, negative dimensions) becomes a clear
 * INTERNAL error and an endpoint failure instead of reaching the client. No tensor is decoded.
 */
public final class ResponseCheck {

  private ResponseCheck() {}

  /** What is wrong with {@code response}, or null when it is well formed. */
  public static @Nullable String problem(ModelInferResponse response) {
    int raw = response.getRawOutputContentsCount();
    if (raw != 0 && raw != response.getOutputsCount()) {
      return "raw_output_contents: " + raw + " entries (expected: one per output, " + response.getOutputsCount() + ")";
    }
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      DataType type = DataType.fromWireName(output.getDatatype());
      if (type == null) {
        return "output '" + output.getName() + "' datatype: " + output.getDatatype() + " (expected: a KServe v2 datatype)";
      }
      long elements = 1;
      List<Long> shape = output.getShapeList();
      for (long dim : shape) {
        if (dim < 0) {
          return "output '" + output.getName() + "' shape: " + shape + " (expected: dimensions >= 0)";
        }
        elements = Math.multiplyExact(elements, dim);
      }
      if (raw != 0 && type.isFixedSize()) {
        long expected = elements * type.elementSize();
        int actual = response.getRawOutputContents(i).size();
        if (actual != expected) {
          return "output '" + output.getName() + "' raw_output_contents: " + actual + " bytes (expected: "
              + expected + " = shape " + shape + " x " + type.wireName() + " " + type.elementSize() + " bytes)";
        }
      }
    }
    return null;
  }
}
