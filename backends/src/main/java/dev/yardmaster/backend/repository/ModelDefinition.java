package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of the repository after its config passed every phase: the normalized config, the
 * versions its version policy selects, and notes about what was ignored or inferred.
 *
 * @param name model name (its directory name)
 * @param directory the model directory
 * @param config the normalized, valid config
 * @param versions versions to serve, ascending; one without its model file fails as it opens
 *     ({@link #requireModelFile})
 * @param notes things worth logging: unknown config fields ignored, values auto-completed
 */
public record ModelDefinition(String name, Path directory, ModelConfig config, List<Long> versions, List<String> notes) {

  public ModelDefinition {
    versions = List.copyOf(versions);
    notes = List.copyOf(notes);
  }

  /** The model file of a version, e.g. {@code repo/m/1/model.onnx}. */
  public Path modelFile(long version) {
    return directory.resolve(Long.toString(version)).resolve(config.getDefaultModelFilename());
  }

  /**
   * The model file of a version, once checked to be a file: as Triton's onnxruntime backend, a
   * version directory without it fails that version ({@code unable to find '.../3/model.onnx'}).
   *
   * @throws InferenceException INVALID_ARGUMENT naming the version and the file that is missing
   */
  public Path requireModelFile(long version) {
    Path file = modelFile(version);
    if (!Files.isRegularFile(file)) {
      throw InferenceException.invalidArgument("model '%s' version %d: %s", name, version, missingModelFile(file));
    }
    return file;
  }

  /** Why {@code file}, a version's model file, cannot be read, and what was expected there. */
  static String missingModelFile(Path file) {
    return "model file '" + file + "' " + (Files.isDirectory(file) ? "is a directory" : "not found")
        + " (expected: the version's ONNX model, named by default_model_filename, "
        + ModelConfigLoader.DEFAULT_MODEL_FILENAME + " when the config sets none)";
  }

  /** The spec of a version. */
  public ModelSpec spec(long version) {
    List<TensorSpec> inputs = new ArrayList<>();
    for (ModelInput input : config.getInputList()) {
      inputs.add(tensorSpec(input.getName(), input.getDataType(), input.getDimsList()));
    }
    List<TensorSpec> outputs = new ArrayList<>();
    for (ModelOutput output : config.getOutputList()) {
      outputs.add(tensorSpec(output.getName(), output.getDataType(), output.getDimsList()));
    }
    return new ModelSpec(name, Long.toString(version), config.getPlatform(), config.getMaxBatchSize(),
        inputs, outputs, config);
  }

  /**
   * {@code runner} as clients see the model: the same runner when no tensor is reshaped, else one
   * that moves tensors between {@code dims} and {@code reshape.shape}.
   */
  ModelRunner withReshapes(ModelRunner runner) {
    Map<String, TensorReshape> inputs = new HashMap<>();
    for (ModelInput input : config.getInputList()) {
      if (input.hasReshape()) {
        inputs.put(input.getName(), new TensorReshape(input.getDimsList(), input.getReshape().getShapeList()));
      }
    }
    Map<String, TensorReshape> outputs = new HashMap<>();
    for (ModelOutput output : config.getOutputList()) {
      if (output.hasReshape()) {
        outputs.put(output.getName(), new TensorReshape(output.getDimsList(), output.getReshape().getShapeList()));
      }
    }
    return inputs.isEmpty() && outputs.isEmpty() ? runner
        : new ReshapingRunner(runner, config.getMaxBatchSize() > 0, inputs, outputs);
  }

  private static TensorSpec tensorSpec(String name, dev.yardmaster.protocol.v2.DataType type, List<Long> dims) {
    DataType dataType = DataType.fromConfigType(type);
    if (dataType == null) {
      throw new IllegalStateException("tensor '" + name + "' data_type: " + type + " (expected: a validated config)");
    }
    return new TensorSpec(name, dataType, dims.stream().mapToLong(Long::longValue).toArray());
  }
}
