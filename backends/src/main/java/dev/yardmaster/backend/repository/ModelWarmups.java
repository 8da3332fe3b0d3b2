package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.ModelWarmup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Triton's {@code model_warmup} for one version: each setting's inputs, built as the version opens
 * ({@link WarmupInputData}), run on its runner before it serves. As in Triton every instance runs
 * every setting {@code count} times (0 means once), each run one execution of {@code batch_size}
 * samples; the instances of a version share one runner here, so that is count x instance count
 * executions, one after another.
 */
final class ModelWarmups {

  /** One setting: its label for messages, the inputs of one execution, and its executions per instance. */
  private record Setting(String label, Map<String, Tensor> inputs, long count) {}

  private final String where;
  private final List<Setting> settings;
  private final List<String> outputNames;
  private final int instances;

  private ModelWarmups(String where, List<Setting> settings, List<String> outputNames, int instances) {
    this.where = where;
    this.settings = List.copyOf(settings);
    this.outputNames = List.copyOf(outputNames);
    this.instances = instances;
  }

  /**
   * The warmups of {@code version}, their data files read from the model's {@code warmup/} directory.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the version, the setting, the input and what
   *     was expected when a data file is missing or of the wrong size
   */
  static ModelWarmups of(ModelDefinition definition, long version) {
    ModelConfig config = definition.config();
    String where = "model '" + definition.name() + "' version " + version;
    Path warmupDirectory = definition.directory().resolve(ModelWarmupValidator.WARMUP_DIRECTORY);
    Random random = new Random(version); // the same data on every load of a version
    List<Setting> settings = new ArrayList<>();
    for (int i = 0; i < config.getModelWarmupCount(); i++) {
      ModelWarmup warmup = config.getModelWarmup(i);
      String label = ModelWarmupValidator.label(warmup, i);
      long batchSize = Math.max(1, Integer.toUnsignedLong(warmup.getBatchSize()));
      Map<String, Tensor> inputs = new LinkedHashMap<>();
      for (Map.Entry<String, ModelWarmup.Input> entry : new TreeMap<>(warmup.getInputsMap()).entrySet()) {
        try {
          inputs.put(entry.getKey(), tensor(entry.getKey(), entry.getValue(), config.getMaxBatchSize() > 0,
              batchSize, warmupDirectory, random));
        } catch (InferenceException e) {
          throw new InferenceException(e.status(), where + " " + label + " input '" + entry.getKey() + "': "
              + e.getMessage(), e);
        }
      }
      settings.add(new Setting(label, inputs, Math.max(1, Integer.toUnsignedLong(warmup.getCount()))));
    }
    int instances = config.getInstanceGroupList().stream().mapToInt(ModelInstanceGroup::getCount).sum();
    return new ModelWarmups(where, settings, config.getOutputList().stream().map(ModelOutput::getName).toList(),
        Math.max(1, instances));
  }

  boolean isEmpty() {
    return settings.isEmpty();
  }

  /**
   * Runs every setting on {@code runner}, once per instance and count, and returns how many
   * executions ran.
   *
   * @throws InferenceException naming the version and the setting whose execution failed, with
   *     the failure's status
   */
  long run(ModelRunner runner) {
    return run(runner, instances);
  }

  /** As {@link #run(ModelRunner)}, for {@code instanceCount} instances: those an update adds. */
  long run(ModelRunner runner, int instanceCount) {
    long executions = 0;
    for (int instance = 0; instance < instanceCount; instance++) {
      for (Setting setting : settings) {
        for (long i = 0; i < setting.count(); i++) {
          try {
            runner.run(setting.inputs(), outputNames);
          } catch (RuntimeException e) {
            InferenceException cause = InferenceException.from(e);
            throw new InferenceException(cause.status(), where + " " + setting.label() + ": execution failed: "
                + cause.getMessage() + " (expected: the model to run the warmup inputs)", e);
          }
          executions++;
        }
      }
    }
    return executions;
  }

  int settingCount() {
    return settings.size();
  }

  int instances() {
    return instances;
  }

  private static Tensor tensor(String name, ModelWarmup.Input input, boolean batched, long batchSize,
      Path warmupDirectory, Random random) {
    DataType type = DataType.fromConfigType(input.getDataType());
    if (type == null) {
      throw new IllegalStateException("data_type: " + input.getDataType() + " (expected: a validated config)");
    }
    long[] dims = input.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long elements = Tensor.elementCount(dims);
    byte[] sample = switch (input.getInputDataTypeCase()) {
      case ZERO_DATA -> WarmupInputData.zeros(type, elements);
      case RANDOM_DATA -> WarmupInputData.random(type, elements, random);
      case INPUT_DATA_FILE -> {
        String file = input.getInputDataFile();
        String problem = ModelWarmupValidator.fileNameProblem(file);
        if (!problem.isEmpty()) {
          throw InferenceException.invalidArgument("%s", problem);
        }
        yield WarmupInputData.file(warmupDirectory.resolve(file).normalize(), file, type, elements,
            input.getDimsList().toString());
      }
      case INPUTDATATYPE_NOT_SET -> throw new IllegalStateException("input_data_type: none (expected: a validated "
          + "config)");
    };
    if (!batched) {
      return Tensor.of(name, type, dims, sample);
    }
    long[] shape = new long[dims.length + 1];
    shape[0] = batchSize;
    System.arraycopy(dims, 0, shape, 1, dims.length);
    return Tensor.of(name, type, shape, WarmupInputData.repeat(sample, batchSize));
  }
}
