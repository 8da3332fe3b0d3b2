package dev.yardmaster.backend.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelOptimizationPolicy;
import dev.yardmaster.protocol.v2.ModelOptimizationPolicy.ExecutionAccelerators.Accelerator;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ONNX Runtime backend's model config {@code parameters} (Triton's onnxruntime_backend README,
 * "Model Config Options") applied over the server's session options for one model:
 * {@code intra_op_thread_count} and {@code inter_op_thread_count} (0: ORT picks),
 * {@code execution_mode} (0 sequential, 1 parallel), {@code enable_mem_arena} and
 * {@code enable_mem_pattern} (true/false, 1/0, on/off), {@code
 * session.use_device_allocator_for_initializers} (a session config entry) and {@code
 * memory.enable_memory_arena_shrinkage} (a run config entry), both handed to ORT as given, as
 * Triton does. Other parameters are not ORT's and are left to whoever reads them. The config's
 * {@code optimization { graph { level } }} sets the graph optimization level as Triton's
 * {@code ModelState} does.
 */
public final class OrtModelParameters {

  public static final String INTRA_OP_THREAD_COUNT = "intra_op_thread_count";
  public static final String INTER_OP_THREAD_COUNT = "inter_op_thread_count";
  public static final String EXECUTION_MODE = "execution_mode";
  public static final String ENABLE_MEM_ARENA = "enable_mem_arena";
  public static final String ENABLE_MEM_PATTERN = "enable_mem_pattern";
  public static final String USE_DEVICE_ALLOCATOR_FOR_INITIALIZERS = "session.use_device_allocator_for_initializers";
  public static final String ENABLE_MEMORY_ARENA_SHRINKAGE = "memory.enable_memory_arena_shrinkage";

  /** The CUDA execution provider's settings Triton reads from {@code parameters} (deprecated there). */
  private static final List<String> CUDA_PROVIDER_PARAMETERS =
      List.of("cudnn_conv_algo_search", "gpu_mem_limit", "arena_extend_strategy", "do_copy_in_default_stream");

  private OrtModelParameters() {}

  /**
   * {@code base} with the config's graph optimization level and parameters applied.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the model, the parameter and its value, or a
   *     {@code cpu_execution_accelerator}: this ORT has none but its default CPU provider
   */
  public static OrtRunnerOptions apply(String modelName, OrtRunnerOptions base, ModelConfig config) {
    ModelOptimizationPolicy optimization = config.getOptimization();
    List<Accelerator> cpuAccelerators = optimization.getExecutionAccelerators().getCpuExecutionAcceleratorList();
    if (!cpuAccelerators.isEmpty()) {
      // Triton's LoadModel without OpenVINO: "unknown Execution Accelerator 'openvino' is requested"
      throw InferenceException.invalidArgument("model '%s' optimization.execution_accelerators."
          + "cpu_execution_accelerator: '%s' (expected: none, this ONNX Runtime runs the CPU on its default "
          + "execution provider only)", modelName, cpuAccelerators.get(0).getName());
    }
    OrtRunnerOptions options = base;
    if (optimization.hasGraph()) {
      options = options.withOptimizationLevel(graphLevel(optimization.getGraph().getLevel()));
    }
    return apply(modelName, options, config.getParametersMap());
  }

  /**
   * The config's settings for GPU execution providers, which this backend does not apply: each
   * {@code gpu_execution_accelerator} and the CUDA provider {@code parameters} Triton reads
   * ({@code cudnn_conv_algo_search}, {@code gpu_mem_limit}, {@code arena_extend_strategy},
   * {@code do_copy_in_default_stream}), e.g. {@code gpu_execution_accelerator 'tensorrt'}.
   */
  public static List<String> gpuProviderSettings(ModelConfig config) {
    List<String> settings = new ArrayList<>();
    for (Accelerator accelerator
        : config.getOptimization().getExecutionAccelerators().getGpuExecutionAcceleratorList()) {
      settings.add("optimization.execution_accelerators.gpu_execution_accelerator '" + accelerator.getName() + "'");
    }
    for (String name : CUDA_PROVIDER_PARAMETERS) {
      if (config.containsParameters(name)) {
        settings.add("parameters." + name);
      }
    }
    return settings;
  }

  /** Triton's mapping of {@code optimization.graph.level}: -1 basic, 1 extended, 2 none, else all. */
  static OptLevel graphLevel(int level) {
    return switch (level) {
      case -1 -> OptLevel.BASIC_OPT;
      case 1 -> OptLevel.EXTENDED_OPT;
      case 2 -> OptLevel.NO_OPT;
      default -> OptLevel.ALL_OPT;
    };
  }

  /**
   * {@code base} with the model's parameters applied.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the model, the parameter and its value
   */
  public static OrtRunnerOptions apply(String modelName, OrtRunnerOptions base, Map<String, ModelParameter> parameters) {
    OrtRunnerOptions options = base;
    String intra = value(parameters, INTRA_OP_THREAD_COUNT);
    if (intra != null) {
      options = options.withIntraOpThreads(threadCount(modelName, INTRA_OP_THREAD_COUNT, intra));
    }
    String inter = value(parameters, INTER_OP_THREAD_COUNT);
    if (inter != null) {
      options = options.withInterOpThreads(threadCount(modelName, INTER_OP_THREAD_COUNT, inter));
    }
    String mode = value(parameters, EXECUTION_MODE);
    if (mode != null) {
      switch (mode.trim()) {
        case "0" -> options = options.withParallelExecution(false);
        case "1" -> options = options.withParallelExecution(true);
        default -> throw invalid(modelName, EXECUTION_MODE, mode, "0 (sequential) or 1 (parallel)");
      }
    }
    String arena = value(parameters, ENABLE_MEM_ARENA);
    if (arena != null) {
      options = options.withMemArena(bool(modelName, ENABLE_MEM_ARENA, arena));
    }
    String pattern = value(parameters, ENABLE_MEM_PATTERN);
    if (pattern != null) {
      options = options.withMemPattern(bool(modelName, ENABLE_MEM_PATTERN, pattern));
    }
    String deviceAllocator = value(parameters, USE_DEVICE_ALLOCATOR_FOR_INITIALIZERS);
    if (deviceAllocator != null) {
      options = options.withSessionConfigEntry(USE_DEVICE_ALLOCATOR_FOR_INITIALIZERS, deviceAllocator);
    }
    String shrinkage = value(parameters, ENABLE_MEMORY_ARENA_SHRINKAGE);
    if (shrinkage != null) {
      options = options.withRunConfigEntry(ENABLE_MEMORY_ARENA_SHRINKAGE, shrinkage);
    }
    return options;
  }

  private static @Nullable String value(Map<String, ModelParameter> parameters, String name) {
    ModelParameter parameter = parameters.get(name);
    return parameter == null ? null : parameter.getStringValue();
  }

  private static int threadCount(String modelName, String name, String value) {
    try {
      int count = Integer.parseInt(value.trim());
      if (count >= 0) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(modelName, name, value, "an integer >= 0, 0 lets ONNX Runtime pick");
  }

  private static boolean bool(String modelName, String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "on" -> true;
      case "false", "0", "off" -> false;
      default -> throw invalid(modelName, name, value, "true or false");
    };
  }

  private static InferenceException invalid(String modelName, String name, String value, String expected) {
    return InferenceException.invalidArgument("model '%s' parameters.%s: '%s' (expected: %s)", modelName, name, value,
        expected);
  }
}
