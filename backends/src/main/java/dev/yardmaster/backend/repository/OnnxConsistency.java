package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a config against the ONNX model it serves, as Triton's ONNX Runtime backend does: every
 * declared tensor exists with the same datatype; with {@code max_batch_size > 0} the model's first
 * dimension is a variable batch dimension (-1); the remaining dims have the model's rank and match
 * each fixed model dim exactly (a variable model dim takes any config dim), {@code reshape.shape}
 * standing for {@code dims} when given, or are all 1s for a scalar (rank 0) model tensor; and every
 * ONNX input is declared, since the runtime cannot run without it. As in that backend, an input is
 * {@code optional} exactly when it is an initializer that is also a graph input (which a run may
 * override or leave at its stored value), and only a model with {@code max_batch_size: 0} takes
 * optional inputs.
 */
final class OnnxConsistency {

  private OnnxConsistency() {}

  static void check(List<String> problems, ModelConfig config, OnnxSignature onnx, String onnxWhere) {
    boolean batched = config.getMaxBatchSize() > 0;
    List<String> onnxInputs = onnx.inputs().stream().map(OnnxSignature.OnnxTensor::name).toList();
    List<String> onnxAllInputs = new ArrayList<>(onnxInputs);
    onnx.overridable().forEach(tensor -> onnxAllInputs.add(tensor.name()));
    List<String> onnxOutputs = onnx.outputs().stream().map(OnnxSignature.OnnxTensor::name).toList();
    List<String> declaredInputs = new ArrayList<>();
    for (ModelInput input : config.getInputList()) {
      declaredInputs.add(input.getName());
      OnnxSignature.OnnxTensor required = onnx.input(input.getName());
      OnnxSignature.OnnxTensor tensor = required != null ? required : onnx.overridable(input.getName());
      if (tensor == null) {
        problems.add("input '" + input.getName() + "' name: not an input of " + onnxWhere
            + " (expected: one of " + onnxAllInputs + ")");
      } else {
        checkOptional(problems, input, required != null, batched, onnxWhere);
        checkTensor(problems, "input", input.getName(), input.getDataType(), input.hasReshape(),
            input.hasReshape() ? input.getReshape().getShapeList() : input.getDimsList(), tensor, batched, onnxWhere);
      }
    }
    for (ModelOutput output : config.getOutputList()) {
      OnnxSignature.OnnxTensor tensor = onnx.output(output.getName());
      if (tensor == null) {
        problems.add("output '" + output.getName() + "' name: not an output of " + onnxWhere
            + " (expected: one of " + onnxOutputs + ")");
      } else {
        checkTensor(problems, "output", output.getName(), output.getDataType(), output.hasReshape(),
            output.hasReshape() ? output.getReshape().getShapeList() : output.getDimsList(), tensor, batched,
            onnxWhere);
      }
    }
    if (config.getInputCount() > 0) {
      for (String onnxInput : onnxInputs) {
        if (!declaredInputs.contains(onnxInput)) {
          problems.add("input: " + declaredInputs + " (expected: also '" + onnxInput + "', an input of " + onnxWhere + ")");
        }
      }
    }
  }

  /** Triton's onnxruntime backend counts the inputs a run needs against the config's inputs less the optional ones. */
  private static void checkOptional(List<String> problems, ModelInput input, boolean requiredByModel, boolean batched,
      String onnxWhere) {
    String label = "input '" + input.getName() + "' optional: " + input.getOptional();
    if (input.getOptional() && batched) {
      problems.add(label + " with max_batch_size > 0 (expected: false, or max_batch_size 0: ONNX Runtime models"
          + " that batch take no optional inputs)");
    } else if (input.getOptional() && requiredByModel) {
      problems.add(label + " (expected: false: '" + input.getName() + "' is an input of " + onnxWhere
          + " without an initializer, which every run needs)");
    } else if (!input.getOptional() && !requiredByModel) {
      problems.add(label + " (expected: true: '" + input.getName() + "' is an initializer of " + onnxWhere
          + " that is also a graph input, which a request may leave out)");
    }
  }

  /** {@code dims} are {@code reshape.shape} when the tensor has one: the shape the model sees. */
  private static void checkTensor(List<String> problems, String kind, String name, DataType dataType,
      boolean reshaped, List<Long> dims, OnnxSignature.OnnxTensor tensor, boolean batched, String onnxWhere) {
    String label = kind + " '" + name + "'";
    String field = reshaped ? " reshape.shape: " : " dims: ";
    if (tensor.dataType() != null && dataType != DataType.TYPE_INVALID && tensor.dataType().configType() != dataType) {
      problems.add(label + " data_type: " + dataType + " (expected: " + tensor.dataType().configType() + " as in "
          + onnxWhere + ")");
    }
    List<Long> onnxDims = tensor.dims();
    if (onnxDims == null) {
      return;
    }
    if (batched && (onnxDims.isEmpty() || onnxDims.get(0) != -1L)) {
      problems.add(label + field + dims + " with max_batch_size > 0 (expected: " + onnxWhere + " shape "
          + onnxDims + " to start with a variable-size batch dimension -1, or max_batch_size 0)");
      return;
    }
    if (onnxDims.isEmpty()) {
      // as Triton's ValidateInputs/ValidateOutputs: a scalar of a model that does not batch takes
      // dims of 1s, which hold its one element
      if (dims.stream().anyMatch(dim -> dim != 1L)) {
        problems.add(label + field + dims + " (expected: only 1s, for the scalar (rank 0) " + kind + " of "
            + onnxWhere + ")");
      }
      return;
    }
    List<Long> modelDims = batched ? onnxDims.subList(1, onnxDims.size()) : onnxDims;
    boolean compatible = modelDims.size() == dims.size();
    for (int d = 0; compatible && d < dims.size(); d++) {
      // as Triton's CompareDimsSupported: a variable model dim takes any config dim, a fixed one
      // only itself (config -1 would let requests through that the model rejects)
      compatible = modelDims.get(d) == -1L || modelDims.get(d).equals(dims.get(d));
    }
    if (!compatible) {
      problems.add(label + field + dims + " (expected: " + modelDims + " as in " + onnxWhere
          + (batched ? ", less its batch dimension" : "") + ")");
    }
  }
}
