package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.protocol.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a model whose config reshapes tensors: inputs arrive in the shape clients see and go to
 * the model in {@code reshape.shape}; outputs come back the other way. Only shapes change; the
 * row-major data is the same.
 */
final class ReshapingRunner implements ModelRunner {

  private final ModelRunner model;
  private final boolean batched;
  private final Map<String, TensorReshape> inputs;
  private final Map<String, TensorReshape> outputs;

  ReshapingRunner(ModelRunner model, boolean batched, Map<String, TensorReshape> inputs,
      Map<String, TensorReshape> outputs) {
    this.model = model;
    this.batched = batched;
    this.inputs = Map.copyOf(inputs);
    this.outputs = Map.copyOf(outputs);
  }

  @Override
  public List<Tensor> run(Map<String, Tensor> clientInputs, List<String> outputNames) {
    Map<String, Tensor> modelInputs = new HashMap<>(clientInputs);
    inputs.forEach((name, reshape) -> {
      Tensor tensor = clientInputs.get(name);
      if (tensor != null) {
        modelInputs.put(name, withShape(tensor, reshape.toModel(tensor.shape(), batched)));
      }
    });
    List<Tensor> results = model.run(modelInputs, outputNames);
    List<Tensor> clientOutputs = new ArrayList<>(results.size());
    for (Tensor tensor : results) {
      TensorReshape reshape = outputs.get(tensor.name());
      clientOutputs.add(reshape == null ? tensor : withShape(tensor, reshape.toClient(tensor.shape(), batched)));
    }
    return clientOutputs;
  }

  private static Tensor withShape(Tensor tensor, long[] shape) {
    return Tensor.of(tensor.name(), tensor.dataType(), shape, tensor.data());
  }

  @Override
  public String kind() {
    return model.kind();
  }

  @Override
  public void close() {
    model.close();
  }
}
