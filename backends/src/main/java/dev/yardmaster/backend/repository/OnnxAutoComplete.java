package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.ModelTensorReshape;
import java.util.List;

/**
 * The auto-complete phase from the ONNX model, as Triton's ONNX Runtime backend
 * ({@code AutoCompleteConfig}, {@code AutoCompleteMaxBatch}, {@code AutoCompleteIO}): a config that
 * declares both inputs and outputs is left alone. Otherwise, when every input and output has a
 * variable first dimension, {@code max_batch_size} 0 becomes {@value
 * ModelConfigLoader#DEFAULT_MAX_BATCH_SIZE} and, above 1 with no scheduler, {@code dynamic_batching
 * {}} is added; the undeclared side is filled from the model, its batch dimension left out of
 * {@code dims} when {@code max_batch_size} is above 0; a tensor left with no dims gets
 * {@code dims: [1]}, with an empty {@code reshape} when batched (a scalar of a model that does not
 * batch is served in dims [1] as it is).
 */
final class OnnxAutoComplete {

  private OnnxAutoComplete() {}

  static ModelConfig complete(ModelConfig config, OnnxSignature onnx) {
    if (config.getInputCount() > 0 && config.getOutputCount() > 0) {
      return config;
    }
    ModelConfig.Builder builder = config.toBuilder();
    if (onnx.supportsBatching()) {
      if (builder.getMaxBatchSize() == 0) {
        builder.setMaxBatchSize(ModelConfigLoader.DEFAULT_MAX_BATCH_SIZE);
      }
      if (builder.getMaxBatchSize() > 1 && !builder.hasDynamicBatching()) {
        builder.setDynamicBatching(ModelDynamicBatching.getDefaultInstance());
      }
    }
    boolean batched = builder.getMaxBatchSize() > 0;
    if (config.getInputCount() == 0) {
      for (OnnxSignature.OnnxTensor tensor : onnx.inputs()) {
        ModelInput.Builder input = ModelInput.newBuilder().setName(tensor.name()).setDataType(configType(tensor));
        List<Long> dims = configDims(tensor, batched);
        if (dims.isEmpty()) {
          input.addDims(1); // Triton's AutoCompleteIO: a scalar is [1], reshaped to [] only with batching
          if (batched) {
            input.setReshape(ModelTensorReshape.getDefaultInstance());
          }
        } else {
          input.addAllDims(dims);
        }
        builder.addInput(input);
      }
    }
    if (config.getOutputCount() == 0) {
      for (OnnxSignature.OnnxTensor tensor : onnx.outputs()) {
        ModelOutput.Builder output = ModelOutput.newBuilder().setName(tensor.name()).setDataType(configType(tensor));
        List<Long> dims = configDims(tensor, batched);
        if (dims.isEmpty()) {
          output.addDims(1); // Triton's AutoCompleteIO: a scalar is [1], reshaped to [] only with batching
          if (batched) {
            output.setReshape(ModelTensorReshape.getDefaultInstance());
          }
        } else {
          output.addAllDims(dims);
        }
        builder.addOutput(output);
      }
    }
    return builder.build();
  }

  private static DataType configType(OnnxSignature.OnnxTensor tensor) {
    return tensor.dataType() == null ? DataType.TYPE_INVALID : tensor.dataType().configType();
  }

  private static List<Long> configDims(OnnxSignature.OnnxTensor tensor, boolean batched) {
    List<Long> dims = tensor.dims() == null ? List.of() : tensor.dims();
    return batched && !dims.isEmpty() ? dims.subList(1, dims.size()) : dims;
  }
}
