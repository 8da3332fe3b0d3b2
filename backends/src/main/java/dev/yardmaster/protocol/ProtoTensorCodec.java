package dev.yardmaster.protocol;

import com.google.protobuf.UnsafeByteOperations;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.v2.InferParameter;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferInputTensor;
import dev.yardmaster.protocol.v2.ModelInferRequest.InferRequestedOutputTensor;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelInferResponse.InferOutputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts KServe v2 gRPC messages to and from {@link InferRequest} / {@link InferResponse}.
 *
 * <p>Raw inputs ({@code raw_input_contents}) are wrapped without copying; typed {@code contents}
 * are packed into little-endian bytes with primitive loops. Responses carry raw outputs (what
 * Triton clients expect) unless the client itself sent typed contents.
 */
public final class ProtoTensorCodec {

  /** Request parameter that sets the batcher priority level, as in Triton. */
  public static final String PRIORITY_PARAMETER = "priority";
  /** Request parameter that sets the queue timeout in microseconds, as in Triton. */
  public static final String TIMEOUT_PARAMETER = "timeout";

  /** Prefix of the request parameter keys Triton keeps for itself. */
  public static final String RESERVED_PREFIX = "triton_";
  /** The one reserved key a client may send (a bool), as Triton's TRITON_RESERVED_REQUEST_PARAMS. */
  public static final String EMPTY_FINAL_RESPONSE_PARAMETER = "triton_enable_empty_final_response";

  private static final String ALLOWED_TYPES = Arrays.toString(DataType.values());

  private ProtoTensorCodec() {}

  /**
   * Decodes a request.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the tensor or field when the message is
   *     inconsistent (unknown datatype, raw and typed contents mixed, raw count mismatch)
   */
  public static InferRequest toInferRequest(ModelInferRequest message, long arrivalNanos) {
    int inputCount = message.getInputsCount();
    int rawCount = message.getRawInputContentsCount();
    if (rawCount > 0) {
      // an input with contents is named first, as Triton's InferGRPCToInput does, whatever the count
      for (InferInputTensor input : message.getInputsList()) {
        if (input.hasContents()) {
          throw InferenceException.invalidArgument(
              "input '%s' contents: set together with raw_input_contents (expected: one of them)",
              input.getName());
        }
      }
      if (rawCount != inputCount) {
        throw InferenceException.invalidArgument(
            "raw_input_contents: %d entries (expected: %d, one per input)", rawCount, inputCount);
      }
    }
    List<Tensor> inputs = new ArrayList<>(inputCount);
    for (int i = 0; i < inputCount; i++) {
      InferInputTensor input = message.getInputs(i);
      DataType dataType = dataType(input.getName(), input.getDatatype());
      long[] shape = shape(input.getName(), input.getShapeCount(), input);
      if (rawCount > 0) {
        ByteBuffer data = message.getRawInputContents(i).asReadOnlyByteBuffer();
        inputs.add(Tensor.of(input.getName(), dataType, shape, data));
      } else {
        inputs.add(Tensor.of(input.getName(), dataType, shape,
            TypedContents.pack(input.getName(), dataType, shape, input.getContents())));
      }
    }
    List<String> requestedOutputs = new ArrayList<>(message.getOutputsCount());
    for (int i = 0; i < message.getOutputsCount(); i++) {
      requestedOutputs.add(message.getOutputs(i).getName());
    }
    Map<String, Object> parameters = fromProto(message.getParametersMap());
    checkReservedParameters(parameters);
    int priority = priorityLevel(longParameter(message, PRIORITY_PARAMETER));
    long timeoutMicros = timeoutMicros(longParameter(message, TIMEOUT_PARAMETER));
    return new InferRequest(message.getModelName(), message.getModelVersion(), message.getId(),
        inputs, requestedOutputs, parameters, priority, timeoutMicros, arrivalNanos);
  }

  /**
   * The classification the request's outputs ask for with the {@code classification} parameter
   * (Triton's classification extension).
   *
   * @throws InferenceException INVALID_ARGUMENT naming the output when the parameter is not an
   *     int64_param > 0
   */
  public static OutputClassification classification(ModelInferRequest message) {
    Map<String, Integer> countByOutput = null;
    for (int i = 0; i < message.getOutputsCount(); i++) {
      InferRequestedOutputTensor output = message.getOutputs(i);
      InferParameter parameter = output.getParametersMap().get(OutputClassification.PARAMETER);
      if (parameter == null) {
        continue;
      }
      if (parameter.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM) {
        throw InferenceException.invalidArgument("output '%s' parameters.%s: %s (expected: an int64_param > 0, "
            + "the number of top classes)", output.getName(), OutputClassification.PARAMETER,
            parameter.getParameterChoiceCase());
      }
      if (countByOutput == null) {
        countByOutput = new HashMap<>();
      }
      countByOutput.put(output.getName(), OutputClassification.count(output.getName(), parameter.getInt64Param()));
    }
    return countByOutput == null ? OutputClassification.NONE : OutputClassification.of(countByOutput);
  }

  /**
   * Encodes a response. With {@code rawOutputs} each output's bytes go to
   * {@code raw_output_contents} without copying; otherwise into typed contents (FP16 and BF16,
   * which have no typed field, force raw outputs for the whole response).
   */
  public static ModelInferResponse toModelInferResponse(InferResponse response, boolean rawOutputs) {
    boolean raw = rawOutputs;
    for (Tensor output : response.outputs()) {
      if (!TypedContents.hasTypedField(output.dataType())) {
        raw = true;
      }
    }
    ModelInferResponse.Builder builder = ModelInferResponse.newBuilder()
        .setModelName(response.modelName())
        .setModelVersion(response.modelVersion())
        .setId(response.id())
        .putAllParameters(toProto(response.parameters()));
    for (Tensor output : response.outputs()) {
      InferOutputTensor.Builder tensor = builder.addOutputsBuilder()
          .setName(output.name())
          .setDatatype(output.dataType().wireName());
      for (int d = 0; d < output.rank(); d++) {
        tensor.addShape(output.dim(d));
      }
      if (raw) {
        builder.addRawOutputContents(UnsafeByteOperations.unsafeWrap(output.data()));
      } else {
        tensor.setContents(TypedContents.unpack(output));
      }
    }
    return builder.build();
  }

  /** The datatype named on the wire, or INVALID_ARGUMENT naming the tensor and allowed types. */
  public static DataType dataType(String tensorName, String wireName) {
    DataType dataType = DataType.fromWireName(wireName);
    if (dataType == null) {
      throw InferenceException.invalidArgument(
          "input '%s' datatype: %s (expected: one of %s)", tensorName, wireName, ALLOWED_TYPES);
    }
    return dataType;
  }

  /** Parameters as plain values: Boolean, Long, Double or String. */
  public static Map<String, Object> fromProto(Map<String, InferParameter> parameters) {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> values = new HashMap<>(parameters.size() * 2);
    parameters.forEach((key, parameter) -> {
      Object value = switch (parameter.getParameterChoiceCase()) {
        case BOOL_PARAM -> parameter.getBoolParam();
        case INT64_PARAM -> parameter.getInt64Param();
        case UINT64_PARAM -> parameter.getUint64Param();
        case DOUBLE_PARAM -> parameter.getDoubleParam();
        case STRING_PARAM -> parameter.getStringParam();
        case PARAMETERCHOICE_NOT_SET -> null;
      };
      if (value != null) {
        values.put(key, value);
      }
    });
    return values;
  }

  /** Plain values as parameters; numbers without a fraction become int64, others their string. */
  public static Map<String, InferParameter> toProto(Map<String, Object> parameters) {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, InferParameter> values = new HashMap<>(parameters.size() * 2);
    parameters.forEach((key, value) -> values.put(key, toProto(value)));
    return values;
  }

  private static InferParameter toProto(Object value) {
    InferParameter.Builder builder = InferParameter.newBuilder();
    if (value instanceof Boolean bool) {
      builder.setBoolParam(bool);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      builder.setInt64Param(((Number) value).longValue());
    } else if (value instanceof Number number) {
      builder.setDoubleParam(number.doubleValue());
    } else {
      builder.setStringParam(String.valueOf(value));
    }
    return builder.build();
  }

  private static long[] shape(String name, int rank, InferInputTensor input) {
    long[] shape = new long[rank];
    for (int d = 0; d < rank; d++) {
      long dim = input.getShape(d);
      if (dim < 0) {
        throw InferenceException.invalidArgument(
            "input '%s' shape: %s (expected: dimensions >= 0)", name, input.getShapeList());
      }
      shape[d] = dim;
    }
    return shape;
  }

  private static long longParameter(ModelInferRequest message, String key) {
    InferParameter parameter = message.getParametersMap().get(key);
    if (parameter == null) {
      return 0;
    }
    return switch (parameter.getParameterChoiceCase()) {
      case INT64_PARAM -> parameter.getInt64Param();
      // a uint64 past 2^63 reads as negative: it is as large as a long goes
      case UINT64_PARAM -> parameter.getUint64Param() < 0 ? Long.MAX_VALUE : parameter.getUint64Param();
      default -> throw InferenceException.invalidArgument(
          "parameter '%s': %s (expected: an int64 value)", key, parameter.getParameterChoiceCase());
    };
  }

  /**
   * Refuses request parameter keys starting with {@code triton_}, which Triton reserves (its gRPC
   * and HTTP front ends answer INVALID_ARG; qa/L0_parameters), except
   * {@value #EMPTY_FINAL_RESPONSE_PARAMETER} as a bool.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the key
   */
  public static void checkReservedParameters(Map<String, Object> parameters) {
    for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
      String key = parameter.getKey();
      if (!key.startsWith(RESERVED_PREFIX)) {
        continue;
      }
      if (!key.equals(EMPTY_FINAL_RESPONSE_PARAMETER)) {
        throw InferenceException.invalidArgument("parameter '%s': reserved for Triton (expected: no key starting "
            + "with '%s' other than '%s')", key, RESERVED_PREFIX, EMPTY_FINAL_RESPONSE_PARAMETER);
      }
      if (!(parameter.getValue() instanceof Boolean)) {
        throw InferenceException.invalidArgument("parameter '%s': %s (expected: a bool)", key, parameter.getValue());
      }
    }
  }

  /**
   * A request's {@code priority} parameter as the priority it asks for. Triton's is a uint64 where
   * 0 and every value past the model's last level mean its default level, so a value past the int
   * range asks for the default too (it must not wrap around to a high priority).
   *
   * @throws InferenceException INVALID_ARGUMENT for a negative value
   */
  public static int priorityLevel(long priority) {
    if (priority < 0) {
      throw InferenceException.invalidArgument("parameter '%s': %d (expected: >= 0)", PRIORITY_PARAMETER, priority);
    }
    return (int) Math.min(priority, Integer.MAX_VALUE);
  }

  /**
   * A request's {@code timeout} parameter: its queue timeout in microseconds, 0 for the model's.
   *
   * @throws InferenceException INVALID_ARGUMENT for a negative value
   */
  public static long timeoutMicros(long timeout) {
    if (timeout < 0) {
      throw InferenceException.invalidArgument(
          "parameter '%s': %d (expected: >= 0 microseconds)", TIMEOUT_PARAMETER, timeout);
    }
    return timeout;
  }

  /** A little-endian buffer of the given size. */
  static ByteBuffer allocate(long bytes, String name) {
    if (bytes > Integer.MAX_VALUE) {
      throw InferenceException.invalidArgument(
          "input '%s' byte size: %d (expected: <= %d)", name, bytes, Integer.MAX_VALUE);
    }
    return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
