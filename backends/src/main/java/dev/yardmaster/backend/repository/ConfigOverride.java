package dev.yardmaster.backend.repository;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parse phase for Triton's load {@code config} parameter: a model config in protobuf JSON
 * (Triton's field names, e.g. {@code max_batch_size}, or their lowerCamel JSON names) that replaces
 * {@code config.pbtxt} for one load. As with {@code config.pbtxt}, fields Yardmaster does not model
 * are ignored and noted, but for those a model cannot be served without ({@link UnservableFields}).
 */
final class ConfigOverride {

  private static final JsonFormat.Parser STRICT = JsonFormat.parser();
  private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
  private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^([\\w$]+\\.)+[\\w$]*(Exception|Error): ");

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
      return parsed(builder.build(), List.of());
    } catch (InvalidProtocolBufferException | RuntimeException strictFailure) {
      // unknown fields, or no config at all: the lenient parse tells which
    }
    builder.clear();
    try {
      LENIENT.merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException malformed) { // Gson's syntax errors are unchecked
      throw InferenceException.invalidArgument("%s: %s (expected: a model config in JSON)", where, reason(malformed));
    }
    List<String> unknown = unknownFields(json);
    UnservableFields.refuse(where, unknown);
    return parsed(builder.build(), unknown.stream().map(field -> ModelConfigLoader.OVERRIDE_SOURCE + ": " + field
        + " is not supported by Yardmaster and was ignored").toList());
  }

  private static ModelConfigLoader.Parsed parsed(ModelConfig config, List<String> notes) {
    return new ModelConfigLoader.Parsed(config, true, notes, ModelConfigLoader.OVERRIDE_SOURCE);
  }

  /** The dotted path of each field Yardmaster does not model. */
  private static List<String> unknownFields(String json) {
    Struct.Builder tree = Struct.newBuilder();
    try {
      STRICT.merge(json, tree);
    } catch (InvalidProtocolBufferException | RuntimeException unreadable) {
      return List.of(); // not after a lenient parse succeeded
    }
    List<String> unknown = new ArrayList<>();
    unknownFields(tree.build(), ModelConfig.getDescriptor(), "", unknown);
    return unknown;
  }

  /** Adds the dotted path of every member of {@code json} that {@code message} has no field for. */
  private static void unknownFields(Struct json, Descriptors.Descriptor message, String prefix, List<String> unknown) {
    for (Map.Entry<String, Value> member : json.getFieldsMap().entrySet()) {
      Descriptors.FieldDescriptor field = message.findFieldByName(member.getKey());
      if (field == null) {
        field = message.getFields().stream().filter(f -> f.getJsonName().equals(member.getKey())).findFirst()
            .orElse(null);
      }
      String path = prefix + member.getKey();
      if (field == null) {
        unknown.add(path);
      } else if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
        Value value = member.getValue();
        List<Value> elements = value.hasListValue() ? value.getListValue().getValuesList() : List.of(value);
        for (Value element : elements) {
          if (element.hasStructValue()) {
            unknownFields(element.getStructValue(), field.getMessageType(), path + ".", unknown);
          }
        }
      }
    }
  }

  /** The parser's message without the exception class names Gson and protobuf prefix it with. */
  private static String reason(Exception failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && (cause.getMessage() == null
        || cause.getMessage().contains(cause.getCause().getClass().getName()))) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return EXCEPTION_PREFIX.matcher(message).replaceFirst("");
  }
}
