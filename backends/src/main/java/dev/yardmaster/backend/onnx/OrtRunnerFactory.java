package dev.yardmaster.backend.onnx;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import java.nio.file.Path;

/** Opens {@link OrtModelRunner}s with one set of session options. */
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
    return OrtModelRunner.open(spec.name() + "/" + spec.version(), modelFile, options);
  }
}
