package dev.yardmaster.backend;

import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One inference request after decoding from the wire.
 *
 * @param modelName the model
 * @param modelVersion the version asked for, or "" for the one the version policy picks
 * @param id the client's request id, echoed in the response ("" when none)
 * @param inputs the input tensors, in request order
 * @param requestedOutputs the outputs to return, empty for all
 * @param parameters request parameters (Boolean, Long, Double or String values), passed through
 * @param priority batcher priority level, 1 is highest; 0 means the model's default level
 * @param timeoutMicros queue timeout asked for by the client, 0 for the model's default
 * @param arrivalNanos when the request arrived, on the scheduler's clock
 * @param cancelled whether the caller has gone (cancelled its call, disconnected, or passed its
 *     deadline): a scheduler checks it just before execution and fails such a request CANCELLED
 *     instead of executing it, as Triton's schedulers do; cheap and thread safe
 */
public record InferRequest(
    String modelName,
    String modelVersion,
    String id,
    List<Tensor> inputs,
    List<String> requestedOutputs,
    Map<String, Object> parameters,
    int priority,
    long timeoutMicros,
    long arrivalNanos,
    BooleanSupplier cancelled) {

  /** The {@link #cancelled} of a request whose caller never goes away. */
  public static final BooleanSupplier NEVER_CANCELLED = () -> false;

  public InferRequest {
    inputs = List.copyOf(inputs);
    requestedOutputs = List.copyOf(requestedOutputs);
    parameters = Map.copyOf(parameters);
  }

  /** A request that is never cancelled. */
  public InferRequest(String modelName, String modelVersion, String id, List<Tensor> inputs,
      List<String> requestedOutputs, Map<String, Object> parameters, int priority, long timeoutMicros,
      long arrivalNanos) {
    this(modelName, modelVersion, id, inputs, requestedOutputs, parameters, priority, timeoutMicros, arrivalNanos,
        NEVER_CANCELLED);
  }

  /** A request for all outputs, default priority and timeout. */
  public static InferRequest of(String modelName, String modelVersion, List<Tensor> inputs) {
    return new InferRequest(modelName, modelVersion, "", inputs, List.of(), Map.of(), 0, 0, System.nanoTime());
  }

  public InferRequest withPriority(int newPriority) {
    return new InferRequest(modelName, modelVersion, id, inputs, requestedOutputs, parameters,
        newPriority, timeoutMicros, arrivalNanos, cancelled);
  }
}
