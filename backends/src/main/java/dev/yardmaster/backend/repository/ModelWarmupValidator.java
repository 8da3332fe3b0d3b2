package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelWarmup;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validate phase of {@code model_warmup}: what the config alone can say is wrong with a warmup
 * setting (its batch size, inputs, data types, dims and data file names), in
 * {@link ModelConfigValidator}'s grammar. The data files themselves are read when a version opens
 * ({@link ModelWarmups}).
 */
final class ModelWarmupValidator {

  /** Where {@code input_data_file} names are resolved, inside the model directory, as in Triton. */
  static final String WARMUP_DIRECTORY = "warmup";

  /** Keeps one execution's data within what a Java buffer holds. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private ModelWarmupValidator() {}

  static void check(List<String> problems, ModelConfig config) {
    Map<String, ModelInput> modelInputs = new LinkedHashMap<>();
    config.getInputList().forEach(input -> modelInputs.put(input.getName(), input));
    int maxBatchSize = config.getMaxBatchSize();
    for (int i = 0; i < config.getModelWarmupCount(); i++) {
      ModelWarmup warmup = config.getModelWarmup(i);
      String label = label(warmup, i);
      long batchSize = Integer.toUnsignedLong(warmup.getBatchSize());
      if (maxBatchSize == 0 && batchSize > 1) {
        problems.add(label + " batch_size: " + batchSize
            + " (expected: 0 or 1, max_batch_size is 0: the inputs are run as they are)");
      } else if (maxBatchSize > 0 && (batchSize < 1 || batchSize > maxBatchSize)) {
        problems.add(label + " batch_size: " + batchSize + " (expected: >= 1 and <= max_batch_size "
            + maxBatchSize + ")");
      }
      for (Map.Entry<String, ModelWarmup.Input> entry : new TreeMap<>(warmup.getInputsMap()).entrySet()) {
        String where = label + " input '" + entry.getKey() + "'";
        ModelInput modelInput = modelInputs.get(entry.getKey());
        if (modelInput == null) {
          problems.add(where + ": not an input of the model (expected: one of " + modelInputs.keySet() + ")");
        } else {
          checkInput(problems, where, entry.getValue(), modelInput, Math.max(1, batchSize));
        }
      }
      for (ModelInput input : modelInputs.values()) {
        if (!input.getOptional() && !warmup.getInputsMap().containsKey(input.getName())) {
          problems.add(label + " input '" + input.getName() + "': missing (expected: data for every input "
              + "of the model that is not optional)");
        }
      }
    }
  }

  private static void checkInput(List<String> problems, String where, ModelWarmup.Input input, ModelInput modelInput,
      long batchSize) {
    if (input.getDataType() != modelInput.getDataType()) {
      problems.add(where + ": data_type " + input.getDataType() + " (expected: " + modelInput.getDataType()
          + ", the input's data_type)");
    }
    List<Long> dims = input.getDimsList();
    boolean fixed = true;
    for (int d = 0; d < dims.size(); d++) {
      if (dims.get(d) < 1) {
        problems.add(where + ": dims[" + d + "] " + dims.get(d) + " (expected: >= 1, warmup data has a fixed shape)");
        fixed = false;
      }
    }
    if (fixed && !compatible(dims, modelInput.getDimsList())) {
      problems.add(where + ": dims " + dims + " (expected: " + modelInput.getDimsList() + ", the input's dims"
          + (modelInput.getDimsList().contains(-1L) ? ", each -1 a size >= 1)" : ")"));
    }
    dev.yardmaster.protocol.DataType type = dev.yardmaster.protocol.DataType.fromConfigType(input.getDataType());
    if (fixed && type != null) {
      long elements = Tensor.elementCount(dims.stream().mapToLong(Long::longValue).toArray());
      long bytes = elements > MAX_BYTES ? Long.MAX_VALUE
          : elements * (type.isFixedSize() ? type.elementSize() : Integer.BYTES);
      if (bytes > MAX_BYTES / batchSize) {
        problems.add(where + ": dims " + dims + " (expected: at most " + MAX_BYTES + " bytes of data in a batch of "
            + batchSize + ")");
      }
    }
    switch (input.getInputDataTypeCase()) {
      case ZERO_DATA, RANDOM_DATA -> { }
      case INPUT_DATA_FILE -> {
        String problem = fileNameProblem(input.getInputDataFile());
        if (!problem.isEmpty()) {
          problems.add(where + ": " + problem);
        }
      }
      case INPUTDATATYPE_NOT_SET -> problems.add(where + ": input_data_type: none (expected: zero_data, random_data "
          + "or input_data_file)");
    }
  }

  /** Whether warmup dims fit the config's: same rank, each fixed config dim given exactly. */
  private static boolean compatible(List<Long> dims, List<Long> configDims) {
    if (dims.size() != configDims.size()) {
      return false;
    }
    for (int d = 0; d < dims.size(); d++) {
      if (configDims.get(d) != -1 && !configDims.get(d).equals(dims.get(d))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code name} cannot name a file under the model's {@value #WARMUP_DIRECTORY} directory, ""
   * when it can: it must be relative and stay inside that directory.
   */
  static String fileNameProblem(String name) {
    String expected = " (expected: a file name relative to the model's " + WARMUP_DIRECTORY + "/ directory, "
        + "inside it)";
    Path path;
    try {
      path = Path.of(name);
    } catch (InvalidPathException e) {
      return "input_data_file: '" + name + "'" + expected;
    }
    Path normalized = path.normalize();
    if (name.isEmpty() || path.isAbsolute() || path.getRoot() != null || normalized.toString().isEmpty()
        || normalized.startsWith("..")) {
      return "input_data_file: '" + name + "'" + expected;
    }
    return "";
  }

  /** How messages name a warmup setting: by its name, or by its index when it has none. */
  static String label(ModelWarmup warmup, int index) {
    return warmup.getName().isEmpty() ? "model_warmup[" + index + "]" : "model_warmup '" + warmup.getName() + "'";
  }
}
