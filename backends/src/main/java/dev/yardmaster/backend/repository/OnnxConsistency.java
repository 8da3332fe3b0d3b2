package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a config against the ONNX model it serves: every declared tensor exists with the same
 * datatype and compatible dims (batch dimension included when the model batches), and every ONNX
 * input is declared, since the runtime cannot run without it.
 */
final class OnnxConsistency {

  private OnnxConsistency() {}

  static void check(List<String> problems, ModelConfig config, OnnxSignature onnx, String onnxWhere) {
    boolean batched = config.getMaxBatchSize() > 0;
    List<String> onnxInputs = onnx.inputs().stream().map(OnnxSignature.OnnxTensor::name).toList();
    List<String> onnxOutputs = onnx.outputs().stream().map(OnnxSignature.OnnxTensor::name).toList();
    List<String> declaredInputs = new ArrayList<>();
    for (ModelInput input : config.getInputList()) {
      declaredInputs.add(input.getName());
      OnnxSignature.OnnxTensor tensor = onnx.input(input.getName());
      if (tensor == null) {
        problems.add("input '" + input.getName() + "' name: not an input of " + onnxWhere
            + " (expected: one of " + onnxInputs + ")");
      } else {
        checkTensor(problems, "input", input.getName(), input.getDataType(), input.getDimsList(), tensor, batched,
            onnxWhere);
      }
    }
    for (ModelOutput output : config.getOutputList()) {
      OnnxSignature.OnnxTensor tensor = onnx.output(output.getName());
      if (tensor == null) {
        problems.add("output '" + output.getName() + "' name: not an output of " + onnxWhere
            + " (expected: one of " + onnxOutputs + ")");
      } else {
        checkTensor(problems, "output", output.getName(), output.getDataType(), output.getDimsList(), tensor, batched,
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

  private static void checkTensor(List<String> problems, String kind, String name, DataType dataType, List<Long> dims,
      OnnxSignature.OnnxTensor tensor, boolean batched, String onnxWhere) {
    String label = kind + " '" + name + "'";
    if (tensor.dataType() != null && dataType != DataType.TYPE_INVALID && tensor.dataType().configType() != dataType) {
      problems.add(label + " data_type: " + dataType + " (expected: " + tensor.dataType().configType() + " as in "
          + onnxWhere + ")");
    }
    List<Long> onnxDims = tensor.dims();
    if (onnxDims == null) {
      return;
    }
    List<Long> full = new ArrayList<>();
    if (batched) {
      full.add(-1L);
    }
    full.addAll(dims);
    boolean compatible = full.size() == onnxDims.size();
    for (int d = batched ? 1 : 0; compatible && d < full.size(); d++) {
      long declared = full.get(d);
      long actual = onnxDims.get(d);
      compatible = declared == -1 || actual == -1 || declared == actual;
    }
    if (!compatible) {
      String expected = batched && !onnxDims.isEmpty() ? onnxDims.subList(1, onnxDims.size()).toString()
          : onnxDims.toString();
      problems.add(label + " dims: " + dims + " (expected: " + expected + " as in " + onnxWhere
          + (batched ? ", less its batch dimension" : "") + ")");
    }
  }
}
