package dev.yardmaster.backend;

import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The result of one inference request.
 *
 * @param modelName the model that answered
 * @param modelVersion the version that answered
 * @param id the request id, echoed
 * @param outputs the output tensors, in the order requested (model order when all were asked for)
 * @param parameters response parameters, passed back to the client
 */
public record InferResponse(
    String modelName, String modelVersion, String id, List<Tensor> outputs, Map<String, Object> parameters) {

  public InferResponse {
    outputs = List.copyOf(outputs);
    parameters = Map.copyOf(parameters);
  }
}
