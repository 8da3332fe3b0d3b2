package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.DataType;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInput;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import dev.yardmaster.protocol.v2.ModelOutput;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The validate phase: every problem of a normalized config, each in the grammar
 * {@code field: actual (expected: ...)}. The caller prefixes where ({@code model 'm' config.pbtxt}).
 */
final class ModelConfigValidator {

  private ModelConfigValidator() {}

  /**
   * Every problem of {@code config}.
   *
   * @param noGpuReason why {@code KIND_GPU} cannot run here; null where it can
   */
  static List<String> validate(String directoryName, ModelConfig config, @Nullable OnnxSignature onnx, String onnxWhere,
      @Nullable String noGpuReason) {
    List<String> problems = new ArrayList<>();
    if (!config.getName().equals(directoryName)) {
      problems.add("name: '" + config.getName() + "' (expected: '" + directoryName + "', the directory name)");
    }
    if (!config.getPlatform().equals(ModelConfigLoader.ONNX_PLATFORM)) {
      problems.add("platform: '" + config.getPlatform() + "' (expected: '" + ModelConfigLoader.ONNX_PLATFORM
          + "' or backend '" + ModelConfigLoader.ONNX_BACKEND + "')");
    }
    if (!config.getBackend().isEmpty() && !config.getBackend().equals(ModelConfigLoader.ONNX_BACKEND)) {
      problems.add("backend: '" + config.getBackend() + "' (expected: '" + ModelConfigLoader.ONNX_BACKEND + "')");
    }
    int maxBatchSize = config.getMaxBatchSize();
    if (maxBatchSize < 0) {
      problems.add("max_batch_size: " + maxBatchSize + " (expected: >= 0)");
    }
    if (config.getInputCount() == 0) {
      problems.add("input: none (expected: at least one input)");
    }
    if (config.getOutputCount() == 0) {
      problems.add("output: none (expected: at least one output)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.getInputCount(); i++) {
      ModelInput input = config.getInput(i);
      checkTensor(problems, "input", i, input.getName(), input.getDataType(), input.getDimsList(), names);
      if (input.hasReshape()) {
        checkReshape(problems, "input", i, input.getName(), input.getDimsList(), input.getReshape().getShapeList(),
            maxBatchSize);
      }
    }
    for (int i = 0; i < config.getOutputCount(); i++) {
      ModelOutput output = config.getOutput(i);
      checkTensor(problems, "output", i, output.getName(), output.getDataType(), output.getDimsList(), names);
      if (output.hasReshape()) {
        checkReshape(problems, "output", i, output.getName(), output.getDimsList(), output.getReshape().getShapeList(),
            maxBatchSize);
      }
    }
    if (config.hasDynamicBatching()) {
      checkDynamicBatching(problems, config.getDynamicBatching(), maxBatchSize);
    }
    for (int i = 0; i < config.getInstanceGroupCount(); i++) {
      ModelInstanceGroup group = config.getInstanceGroup(i);
      if (group.getCount() < 0) {
        problems.add("instance_group[" + i + "].count: " + group.getCount() + " (expected: >= 1)");
      }
      // As Triton's ValidateInstanceGroup: only a KIND_GPU group names GPUs (KIND_AUTO was resolved in normalize).
      if (group.getGpusCount() > 0 && group.getKind() != ModelInstanceGroup.Kind.KIND_GPU) {
        problems.add("instance_group[" + i + "].gpus: " + group.getGpusList() + " (expected: none for "
            + group.getKind() + ", only a KIND_GPU group names GPUs)");
      }
      String negativeGpus = group.getGpusList().stream().filter(gpu -> gpu < 0).map(String::valueOf)
          .collect(Collectors.joining(", "));
      if (!negativeGpus.isEmpty()) {
        problems.add("instance_group[" + i + "].gpus: " + negativeGpus + " (expected: GPU ids >= 0)");
      }
      if (group.getKind() == ModelInstanceGroup.Kind.KIND_GPU && noGpuReason != null) {
        problems.add("instance_group[" + i + "].kind: KIND_GPU (expected: KIND_CPU or KIND_AUTO, " + noGpuReason + ")");
      } else if (group.getKind() == ModelInstanceGroup.Kind.KIND_MODEL) {
        problems.add("instance_group[" + i + "].kind: KIND_MODEL (expected: KIND_CPU, KIND_GPU or KIND_AUTO for "
            + "the onnxruntime backend)");
      }
    }
    if (config.getInstanceGroupCount() > 0
        && config.getInstanceGroupList().stream().allMatch(ModelInstanceGroup::getPassive)) {
      // Triton loads such a model and its requests wait for an instance forever; refuse it instead.
      problems.add("instance_group: every group passive (expected: at least one group with passive: false,"
          + " as passive instances never take requests)");
    }
    checkVersionPolicy(problems, config.getVersionPolicy());
    ModelWarmupValidator.check(problems, config);
    if (onnx != null) {
      OnnxConsistency.check(problems, config, onnx, onnxWhere);
    }
    return problems;
  }

  static List<String> validateVersions(ModelConfig config, List<Long> available, List<Long> selected, String modelFilename) {
    List<String> problems = new ArrayList<>();
    if (available.isEmpty()) {
      problems.add("versions: none (expected: a numeric version directory, e.g. 1/" + modelFilename + ")");
      return problems;
    }
    // As Triton: listed versions without a directory are left out; the load fails only when none is left.
    ModelVersionPolicy policy = config.getVersionPolicy();
    if (selected.isEmpty() && policy.hasSpecific() && policy.getSpecific().getVersionsCount() > 0) {
      problems.add("version_policy.specific.versions: " + policy.getSpecific().getVersionsList()
          + " (expected: at least one of " + available + ", the version directories)");
    } else if (selected.isEmpty()) {
      problems.add("version_policy: selects no version (expected: at least one of " + available + ")");
    }
    return problems;
  }

  private static void checkTensor(List<String> problems, String kind, int index, String name, DataType dataType,
      List<Long> dims, Set<String> names) {
    String label = name.isEmpty() ? kind + "[" + index + "]" : kind + " '" + name + "'";
    if (name.isEmpty()) {
      problems.add(kind + "[" + index + "].name: '' (expected: a non-empty name)");
    } else if (!names.add(name)) {
      problems.add(label + " name: duplicate (expected: unique among inputs and outputs)");
    }
    if (dataType == DataType.TYPE_INVALID || dev.yardmaster.protocol.DataType.fromConfigType(dataType) == null) {
      problems.add(label + " data_type: " + dataType + " (expected: a valid type such as TYPE_FP32)");
    }
    for (int d = 0; d < dims.size(); d++) {
      long dim = dims.get(d);
      if (dim < -1 || dim == 0) {
        problems.add(label + " dims[" + d + "]: " + dim + " (expected: -1 or >= 1)");
      }
    }
  }

  private static void checkReshape(List<String> problems, String kind, int index, String name, List<Long> dims,
      List<Long> shape, int maxBatchSize) {
    String label = name.isEmpty() ? kind + "[" + index + "]" : kind + " '" + name + "'";
    // As Triton's ValidateIOShape: without a batch dimension an empty reshape would be a scalar tensor.
    if (shape.isEmpty() && maxBatchSize == 0) {
      problems.add(label + " reshape.shape: [] (expected: at least one dim when max_batch_size is 0, a "
          + "non-batching model has no scalar tensors)");
      return;
    }
    String problem = new TensorReshape(dims, shape).problem();
    if (!problem.isEmpty()) {
      problems.add(label + " " + problem);
    }
  }

  private static void checkDynamicBatching(List<String> problems, ModelDynamicBatching batching, int maxBatchSize) {
    if (maxBatchSize == 0) {
      problems.add("dynamic_batching: present (expected: absent when max_batch_size is 0, the model does not batch)");
    }
    for (int preferred : batching.getPreferredBatchSizeList()) {
      if (preferred < 1) {
        problems.add("dynamic_batching.preferred_batch_size: " + preferred + " (expected: >= 1)");
      } else if (maxBatchSize > 0 && preferred > maxBatchSize) {
        problems.add("dynamic_batching.preferred_batch_size: " + preferred + " (expected: <= max_batch_size "
            + maxBatchSize + ")");
      }
    }
    checkUnsigned(problems, "dynamic_batching.max_queue_delay_microseconds", batching.getMaxQueueDelayMicroseconds());
    checkUnsigned(problems, "dynamic_batching.priority_levels", batching.getPriorityLevels());
    long levels = batching.getPriorityLevels();
    long defaultLevel = batching.getDefaultPriorityLevel();
    if (levels > 0 && (defaultLevel < 1 || defaultLevel > levels)) {
      problems.add("dynamic_batching.default_priority_level: " + Long.toUnsignedString(defaultLevel)
          + " (expected: >= 1 and <= priority_levels " + levels + ")");
    } else if (levels == 0 && defaultLevel != 0) {
      problems.add("dynamic_batching.default_priority_level: " + Long.toUnsignedString(defaultLevel)
          + " (expected: 0 when priority_levels is 0)");
    }
    for (Map.Entry<Long, ?> entry : batching.getPriorityQueuePolicyMap().entrySet()) {
      long level = entry.getKey();
      if (level < 1 || levels <= 0 || level > levels) {
        problems.add("dynamic_batching.priority_queue_policy key: " + Long.toUnsignedString(level)
            + " (expected: >= 1 and <= priority_levels " + levels + ")");
      }
    }
    checkUnsigned(problems, "dynamic_batching.default_queue_policy.default_timeout_microseconds",
        batching.getDefaultQueuePolicy().getDefaultTimeoutMicroseconds());
    if (batching.getPreserveOrdering()) {
      checkPreserveOrdering(problems, batching);
    }
  }

  /**
   * As Triton's ValidateModelConfig: responses in arrival order cannot also let a higher priority
   * level overtake, nor hold a timed-out request back (DELAY) while later ones are answered.
   */
  private static void checkPreserveOrdering(List<String> problems, ModelDynamicBatching batching) {
    if (Long.compareUnsigned(batching.getPriorityLevels(), 1) > 0) {
      problems.add("dynamic_batching.priority_levels: " + Long.toUnsignedString(batching.getPriorityLevels())
          + " (expected: 0 or 1 when preserve_ordering is true)");
    }
    checkNoDelay(problems, "dynamic_batching.default_queue_policy", batching.getDefaultQueuePolicy());
    for (Map.Entry<Long, ModelQueuePolicy> entry : new TreeMap<>(batching.getPriorityQueuePolicyMap()).entrySet()) {
      checkNoDelay(problems, "dynamic_batching.priority_queue_policy[" + Long.toUnsignedString(entry.getKey()) + "]",
          entry.getValue());
    }
  }

  private static void checkNoDelay(List<String> problems, String field, ModelQueuePolicy policy) {
    if (policy.getTimeoutAction() == ModelQueuePolicy.TimeoutAction.DELAY
        && policy.getDefaultTimeoutMicroseconds() != 0) {
      problems.add(field + ".timeout_action: DELAY (expected: REJECT when preserve_ordering is true and "
          + "default_timeout_microseconds is set)");
    }
  }

  /** uint64 fields read as Java longs: values past Long.MAX_VALUE come back negative. */
  private static void checkUnsigned(List<String> problems, String field, long value) {
    if (value < 0) {
      problems.add(field + ": " + Long.toUnsignedString(value) + " (expected: <= " + Long.MAX_VALUE + ")");
    }
  }

  private static void checkVersionPolicy(List<String> problems, ModelVersionPolicy policy) {
    if (policy.hasLatest() && policy.getLatest().getNumVersions() < 1) {
      problems.add("version_policy.latest.num_versions: " + Integer.toUnsignedString(policy.getLatest().getNumVersions())
          + " (expected: >= 1)");
    }
    if (policy.hasSpecific()) {
      if (policy.getSpecific().getVersionsCount() == 0) {
        problems.add("version_policy.specific.versions: [] (expected: at least one version)");
      }
      String negative = policy.getSpecific().getVersionsList().stream().filter(v -> v < 0)
          .map(String::valueOf).collect(Collectors.joining(", "));
      if (!negative.isEmpty()) {
        problems.add("version_policy.specific.versions: " + negative + " (expected: >= 0)");
      }
    }
  }
}
