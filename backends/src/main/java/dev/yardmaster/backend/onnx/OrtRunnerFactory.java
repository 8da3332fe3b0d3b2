package dev.yardmaster.backend.onnx;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link OrtModelRunner}s with one set of session options, and checks that every tensor the
 * config declares exists in the model, so a config typo fails at load rather than on a request.
 *
 * <p>The model's config {@code parameters} and {@code optimization} override the factory's session
 * options for that model ({@link OrtModelParameters}). The instance groups of the normalized config choose the execution provider, as Triton's
 * {@code kind}: a version with a {@code KIND_GPU} group runs on CUDA and fails to open without it;
 * otherwise ({@code KIND_CPU}) it never uses CUDA. One session serves every instance of a version,
 * so a config that mixes CPU and GPU groups runs all of them on the GPU.
 */
public final class OrtRunnerFactory implements RunnerFactory {
  private static final Logger log = LoggerFactory.getLogger(OrtRunnerFactory.class);
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

  /** CUDA is allowed by the options and its execution provider runs here ({@link CudaProbe}). */
  @Override
  public boolean gpuAvailable() {
    return options.preferCuda() && CudaProbe.result().available();
  }

  @Override
  public ModelRunner open(ModelSpec spec, Path modelFile) {
    String modelName = spec.name() + "/" + spec.version();
    boolean gpu = spec.config().getInstanceGroupList().stream()
        .anyMatch(group -> group.getKind() == ModelInstanceGroup.Kind.KIND_GPU);
    OrtRunnerOptions sessionOptions = OrtModelParameters.apply(modelName, gpu ? options : options.cpuOnly(),
        spec.config());
    List<String> gpuProviderSettings = OrtModelParameters.gpuProviderSettings(spec.config());
    if (!gpuProviderSettings.isEmpty()) {
      // Triton ignores them on a CPU instance and applies them on a GPU one; here they never apply
      log.info("model '{}': {} ignored (this backend runs {} with ONNX Runtime's default provider options)",
          modelName, String.join(", ", gpuProviderSettings), gpu ? "CUDA" : "on the CPU");
    }
    if (gpu && !gpuAvailable()) {
      throw InferenceException.invalidArgument("model '%s' instance_group kind: KIND_GPU (expected: KIND_CPU or "
          + "KIND_AUTO, no GPUs are available: %s)", modelName, noGpuReason());
    }
    OrtModelRunner runner = OrtModelRunner.open(modelName, modelFile, sessionOptions);
    try {
      if (gpu && !runner.kind().equals(OrtModelRunner.CUDA_KIND)) {
        throw InferenceException.invalidArgument("model '%s' instance_group kind: KIND_GPU (expected: KIND_CPU or "
            + "KIND_AUTO, the CUDA execution provider failed to start on this host)", modelName);
      }
      // an optional input is an initializer that is also a graph input (config validation checked
      // it against the graph), which ONNX Runtime's Java API does not list among the inputs
      Set<String> optional = spec.config().getInputList().stream().filter(ModelInput::getOptional)
          .map(ModelInput::getName).collect(Collectors.toSet());
      requireDeclared(modelName, "input",
          spec.inputs().stream().filter(input -> !optional.contains(input.name())).toList(), runner.inputNames());
      requireDeclared(modelName, "output", spec.outputs(), runner.outputNames());
    } catch (InferenceException e) {
      runner.close();
      throw e;
    }
    return runner;
  }

  /** Why CUDA does not run here: turned off, or what {@link CudaProbe} found. */
  @Override
  public String noGpuReason() {
    return options.preferCuda() ? CudaProbe.result().reason() : "CUDA is turned off for this server";
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
