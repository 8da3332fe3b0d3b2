package dev.yardmaster.backend.repository;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.List;

/**
 * The parse phase for Triton's load {@code config} parameter: a model config in protobuf JSON
 * (Triton's field names, e.g. {@code max_batch_size}, or their lowerCamel JSON names) that replaces
 * {@code config.pbtxt} for one load. As with {@code config.pbtxt}, fields Yardmaster does not model
 * are ignored and noted.
 */
final class ConfigOverride {

  private static final JsonFormat.Parser STRICT = JsonFormat.parser();
  private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();

  private ConfigOverride() {}

  /**
   * Parses the override of one model.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the model and the parser's reason
   */
  static ModelConfigLoader.Parsed parse(String modelName, String json) {
    String where = ModelConfigLoader.where(modelName, ModelConfigLoader.OVERRIDE_SOURCE);
    if (json.isBlank()) {
      throw InferenceException.invalidArgument("%s: '' (expected: a model config in JSON, e.g. "
          + "{\"max_batch_size\": 8})", where);
    }
    ModelConfig.Builder builder = ModelConfig.newBuilder();
    try {
      STRICT.merge(json, builder);
      return new ModelConfigLoader.Parsed(builder.build(), true, List.of(), ModelConfigLoader.OVERRIDE_SOURCE);
    } catch (InvalidProtocolBufferException strictFailure) {
      String reason = reason(strictFailure);
      builder.clear();
      try {
        LENIENT.merge(json, builder);
      } catch (InvalidProtocolBufferException | RuntimeException lenientFailure) {
        throw InferenceException.invalidArgument("%s: %s (expected: a model config in JSON)", where,
            reason(lenientFailure));
      }
      // valid once unknown fields are dropped: the strict parser stopped at the first unknown one
      return new ModelConfigLoader.Parsed(builder.build(), true,
          List.of(ModelConfigLoader.OVERRIDE_SOURCE + ": " + reason + "; unknown fields are not supported by "
              + "Yardmaster and were ignored"), ModelConfigLoader.OVERRIDE_SOURCE);
    } catch (RuntimeException malformed) {
      // Gson's syntax errors are unchecked
      throw InferenceException.invalidArgument("%s: %s (expected: a model config in JSON)", where,
          reason(malformed));
    }
  }

  private static String reason(Exception failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getMessage() != null
        && cause.getMessage().contains(cause.getCause().getClass().getName())) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? failure.toString() : cause.getMessage();
  }
}
