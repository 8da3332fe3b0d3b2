package dev.yardmaster.backend;

import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Executes one model version: one call is one execution, possibly of a batch formed from several
 * requests. Implementations are thread safe; the scheduler bounds how many calls run at once.
 */
public interface ModelRunner extends AutoCloseable {

  /**
   * Runs the model.
   *
   * @param inputs input tensors by name, already validated against the model's spec
   * @param outputNames the outputs to compute, in the order to return them
   * @return the outputs in {@code outputNames} order
   */
  List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames);

  /** A short label for logs and metadata, e.g. {@code "onnxruntime-cpu"}. */
  String kind();

  @Override
  void close();
}
