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
import java.util.Set;

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
 * @param scalars the tensors the ONNX model has as scalars (rank 0), which clients see in their
 *     config dims of 1s
 */
public record ModelDefinition(String name, Path directory, ModelConfig config, List<Long> versions, List<String> notes,
    Set<String> scalars) {

  public ModelDefinition {
    versions = List.copyOf(versions);
    notes = List.copyOf(notes);
    scalars = Set.copyOf(scalars);
  }

  /** The version directory of a version, e.g. {@code repo/m/1}. */
  public Path versionDirectory(long version) {
    return directory.resolve(Long.toString(version));
  }

  /**
   * The model file of a version, e.g. {@code repo/m/1/model.onnx}; when the path named by {@code
   * default_model_filename} is a directory, the {@code model.onnx} inside it ({@link #modelFileIn}).
   */
  public Path modelFile(long version) {
    return modelFileIn(namedModelPath(directory, version, config.getDefaultModelFilename()));
  }

  /**
   * The path {@code default_model_filename} names in a version directory, e.g. {@code
   * repo/m/1/model.onnx}: the model file, or a directory holding it ({@link #modelFileIn}).
   */
  static Path namedModelPath(Path modelDirectory, long version, String modelFilename) {
    return modelDirectory.resolve(Long.toString(version)).resolve(modelFilename);
  }

  /**
   * The file to load for {@code named}, the path {@code default_model_filename} names in a version
   * directory: {@code named} itself, or {@code named/model.onnx} when {@code named} is a directory,
   * as Triton's onnxruntime backend reads it (a model with its external data files kept together in
   * {@code 1/model.onnx/}).
   */
  public static Path modelFileIn(Path named) {
    return Files.isDirectory(named) ? named.resolve(ModelConfigLoader.DEFAULT_MODEL_FILENAME) : named;
  }

  /**
   * The model file of a version, once checked to be a file: as Triton's onnxruntime backend, a
   * version directory without it fails that version ({@code unable to find '.../3/model.onnx'}).
   *
   * @throws InferenceException INVALID_ARGUMENT naming the version and the file that is missing
   */
  public Path requireModelFile(long version) {
    Path named = namedModelPath(directory, version, config.getDefaultModelFilename());
    Path file = modelFileIn(named);
    if (!Files.isRegularFile(file)) {
      throw InferenceException.invalidArgument("model '%s' version %d: %s", name, version, missingModelFile(named));
    }
    return file;
  }

  /**
   * Why the model file of {@code named}, the path {@code default_model_filename} names in a
   * version directory, cannot be read, and what was expected there.
   */
  static String missingModelFile(Path named) {
    Path file = modelFileIn(named);
    String problem = "model file '" + file + "' " + (Files.isDirectory(file) ? "is a directory" : "not found");
    if (!file.equals(named)) {
      return problem + " (expected: '" + named + "', a directory named by default_model_filename, to hold the "
          + "version's ONNX model as " + ModelConfigLoader.DEFAULT_MODEL_FILENAME + ", its external data beside it)";
    }
    return problem + " (expected: the version's ONNX model, named by default_model_filename, "
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
   * that moves tensors between {@code dims} and {@code reshape.shape}. A scalar declared with dims
   * (all 1s, as the config check holds) is reshaped to no dims, as Triton's onnxruntime backend
   * gives the model a scalar and answers in the config dims.
   */
  ModelRunner withReshapes(ModelRunner runner) {
    Map<String, TensorReshape> inputs = new HashMap<>();
    for (ModelInput input : config.getInputList()) {
      reshape(inputs, input.getName(), input.getDimsList(), input.hasReshape(), input.getReshape().getShapeList());
    }
    Map<String, TensorReshape> outputs = new HashMap<>();
    for (ModelOutput output : config.getOutputList()) {
      reshape(outputs, output.getName(), output.getDimsList(), output.hasReshape(),
          output.getReshape().getShapeList());
    }
    return inputs.isEmpty() && outputs.isEmpty() ? runner
        : new ReshapingRunner(runner, config.getMaxBatchSize() > 0, inputs, outputs);
  }

  private void reshape(Map<String, TensorReshape> reshapes, String name, List<Long> dims, boolean reshaped,
      List<Long> modelShape) {
    if (reshaped) {
      reshapes.put(name, new TensorReshape(dims, modelShape));
    } else if (scalars.contains(name) && !dims.isEmpty()) {
      reshapes.put(name, new TensorReshape(dims, List.of()));
    }
  }

  private static TensorSpec tensorSpec(String name, dev.yardmaster.protocol.v2.DataType type, List<Long> dims) {
    DataType dataType = DataType.fromConfigType(type);
    if (dataType == null) {
      throw new IllegalStateException("tensor '" + name + "' data_type: " + type + " (expected: a validated config)");
    }
    return new TensorSpec(name, dataType, dims.stream().mapToLong(Long::longValue).toArray());
  }
}
