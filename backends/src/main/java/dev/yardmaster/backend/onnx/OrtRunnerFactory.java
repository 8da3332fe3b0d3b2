package dev.yardmaster.backend.onnx;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.TensorSpec;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Opens {@link OrtModelRunner}s with one set of session options, and checks that every tensor the
 * config declares exists in the model, so a config typo fails at load rather than on a request.
 */
public final class OrtRunnerFactory implements RunnerFactory {
  private final OrtRunnerOptions options;

  public OrtRunnerFactory(OrtRunnerOptions options) {
    this.options = options;
  }

  /** A factory with {@link OrtRunnerOptions#defaults()}. */
  public static OrtRunnerFactory withDefaults() {
    return new OrtRunnerFactory(OrtRunnerOptions.defaults());
  }

  public OrtRunnerOptions options() {
    return options;
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    String modelName = spec.name() + "/" + spec.version();
    OrtModelRunner runner = OrtModelRunner.open(modelName, modelFile, options);
    try {
      requireDeclared(modelName, "input", spec.inputs(), runner.inputNames());
      requireDeclared(modelName, "output", spec.outputs(), runner.outputNames());
    } catch (InferenceException e) {
      runner.close();
      throw e;
    }
    return runner;
  }

  private static void requireDeclared(
      String modelName, String role, List<TensorSpec> declared, Collection<String> inModel) {
    for (TensorSpec tensor : declared) {
      if (!inModel.contains(tensor.name())) {
        throw InferenceException.invalidArgument(
            "model '%s' config %s: '%s' (expected: one of %s in model.onnx)",
            modelName, role, tensor.name(), inModel);
      }
    }
  }
}
