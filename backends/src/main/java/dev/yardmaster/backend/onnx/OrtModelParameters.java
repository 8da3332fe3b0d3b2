package dev.yardmaster.backend.onnx;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelParameter;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ONNX Runtime backend's model config {@code parameters} (Triton's onnxruntime_backend README,
 * "Model Config Options") applied over the server's session options for one model:
 * {@code intra_op_thread_count} and {@code inter_op_thread_count} (0: ORT picks),
 * {@code execution_mode} (0 sequential, 1 parallel), {@code enable_mem_arena} and
 * {@code enable_mem_pattern} (true/false, 1/0, on/off). Other parameters are not ORT's and are
 * left to whoever reads them.
 */
public final class OrtModelParameters {

  public static final String INTRA_OP_THREAD_COUNT = "intra_op_thread_count";
  public static final String INTER_OP_THREAD_COUNT = "inter_op_thread_count";
  public static final String EXECUTION_MODE = "execution_mode";
  public static final String ENABLE_MEM_ARENA = "enable_mem_arena";
  public static final String ENABLE_MEM_PATTERN = "enable_mem_pattern";

  private OrtModelParameters() {}

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
