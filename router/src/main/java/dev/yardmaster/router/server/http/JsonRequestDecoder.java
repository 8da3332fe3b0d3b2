package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.OutputClassification;
import dev.yardmaster.protocol.ProtoTensorCodec;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a KServe v2 HTTP inference request with a streaming parser: tensor data (flat or nested
 * arrays; BYTES as strings) goes straight into little-endian bytes without boxing. When
 * {@code data} comes before {@code datatype} in an input object it is buffered as a tree first.
 * Inputs sent as binary tensor data are cut from the body after the JSON ({@link BinaryTensorData});
 * the binary data parameters are consumed here, not passed to the model.
 */
final class JsonRequestDecoder {

  /** Request parameter: return the outputs as binary data when the request lists none. */
  static final String BINARY_DATA_OUTPUT = "binary_data_output";
  /** Input parameter: the input's byte count in the binary data after the JSON. */
  static final String BINARY_DATA_SIZE = "binary_data_size";
  /** Requested-output parameter: return this output as binary data (JSON when absent). */
  static final String BINARY_DATA = "binary_data";

  /** Arrays and objects nested deeper than this refuse the request, as Triton's HTTP front end does. */
  static final int MAX_NESTING_DEPTH = 100;

  /** NaN, Infinity and -Infinity read as numbers, as Triton's rapidjson parser (kParseNanAndInfFlag). */
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());

  private JsonRequestDecoder() {}

  /**
   * Decodes a request body.
   *
   * @param headerLength the {@code Inference-Header-Content-Length} header, null when absent
   */
  static DecodedInfer decode(String model, String version, byte[] body, @Nullable String headerLength,
      long arrivalNanos) {
    int jsonLength = BinaryTensorData.jsonLength(headerLength, body.length);
    String id = "";
    Map<String, Object> parameters = Map.of();
    List<RequestInput> inputs = List.of();
    List<String> outputs = List.of();
    Map<String, Boolean> binaryByOutput = new HashMap<>();
    Map<String, Integer> classificationByOutput = new HashMap<>();
    try (JsonParser parser = MAPPER.createParser(body, 0, jsonLength)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw InferenceException.invalidArgument(
            "request body: empty (expected: a JSON object with \"inputs\")");
      }
      expect(parser, first, JsonToken.START_OBJECT, "request body");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "id" -> id = string(parser, value, "id");
          case "parameters" -> parameters = parameters(parser, value, "parameters");
          case "inputs" -> inputs = inputs(parser, value);
          case "outputs" -> outputs = outputs(parser, value, binaryByOutput, classificationByOutput);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw InferenceException.invalidArgument(
            "request body: trailing content after the JSON object (expected: one JSON object)");
      }
    } catch (StreamConstraintsException overLimit) {
      throw InferenceException.invalidArgument("request body: %s (expected: JSON nesting depth at most %d, as "
          + "Triton)", overLimit.getOriginalMessage(), MAX_NESTING_DEPTH);
    } catch (JsonProcessingException malformed) {
      throw InferenceException.invalidArgument("request body: malformed JSON, %s (expected: a JSON object)",
          malformed.getOriginalMessage());
    } catch (IOException io) {
      throw InferenceException.invalidArgument("request body: unreadable, %s (expected: a JSON object)", io);
    }
    if (inputs.isEmpty()) {
      throw InferenceException.invalidArgument("inputs: none (expected: at least one input tensor)");
    }
    List<Tensor> tensors = BinaryTensorData.attach(inputs, body, jsonLength, headerLength != null);
    boolean binaryByDefault = false;
    if (parameters.containsKey(BINARY_DATA_OUTPUT)) {
      parameters = new HashMap<>(parameters);
      binaryByDefault = bool(parameters.remove(BINARY_DATA_OUTPUT), "parameters." + BINARY_DATA_OUTPUT);
    }
    ProtoTensorCodec.checkReservedParameters(parameters);
    int priority = ProtoTensorCodec.priorityLevel(longParameter(parameters, ProtoTensorCodec.PRIORITY_PARAMETER));
    long timeoutMicros = ProtoTensorCodec.timeoutMicros(longParameter(parameters, ProtoTensorCodec.TIMEOUT_PARAMETER));
    InferRequest request = new InferRequest(model, version, id, tensors, outputs, parameters, priority,
        timeoutMicros, arrivalNanos);
    return new DecodedInfer(request, new OutputFormat(binaryByDefault, binaryByOutput),
        OutputClassification.of(classificationByOutput));
  }

  private static List<RequestInput> inputs(JsonParser parser, JsonToken token) throws IOException {
    expect(parser, token, JsonToken.START_ARRAY, "inputs");
    List<RequestInput> inputs = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      inputs.add(input(parser, inputs.size()));
    }
    return inputs;
  }

  private static RequestInput input(JsonParser parser, int index) throws IOException {
    expect(parser, parser.currentToken(), JsonToken.START_OBJECT, "inputs[" + index + "]");
    String name = null;
    DataType dataType = null;
    long[] shape = null;
    TensorData data = null;
    JsonNode earlyData = null;
    Object binaryDataSize = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      String where = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
      switch (field) {
        case "name" -> name = string(parser, value, where + " name");
        case "datatype" -> dataType = ProtoTensorCodec.dataType(name == null ? "#" + index : name,
            string(parser, value, where + " datatype"));
        case "shape" -> shape = shape(parser, value, where);
        case "parameters" ->
            binaryDataSize = parameters(parser, value, where + " parameters").get(BINARY_DATA_SIZE);
        case "data" -> {
          if (dataType != null && shape != null) {
            data = TensorData.read(parser, where, dataType, shape);
          } else {
            earlyData = parser.readValueAsTree();
          }
        }
        default -> parser.skipChildren();
      }
    }
    String where = name == null ? "inputs[" + index + "]" : "input '" + name + "'";
    if (name == null) {
      throw InferenceException.invalidArgument("%s name: missing (expected: a string)", where);
    }
    if (dataType == null) {
      throw InferenceException.invalidArgument("%s datatype: missing (expected: one of %s)", where,
          Arrays.toString(DataType.values()));
    }
    if (shape == null) {
      throw InferenceException.invalidArgument("%s shape: missing (expected: an array of dimensions)", where);
    }
    if (binaryDataSize != null) {
      if (data != null || earlyData != null) {
        throw InferenceException.invalidArgument("%s: both data and parameters.binary_data_size (expected: "
            + "exactly one of them)", where);
      }
      if (!(binaryDataSize instanceof Long size) || size < 0) {
        throw InferenceException.invalidArgument("%s parameters.binary_data_size: %s (expected: an integer >= 0)",
            where, binaryDataSize);
      }
      return RequestInput.binary(name, dataType, shape, size);
    }
    if (data == null && earlyData != null) {
      try (JsonParser tree = MAPPER.treeAsTokens(earlyData)) {
        tree.nextToken();
        data = TensorData.read(tree, where, dataType, shape);
      }
    }
    if (data == null) {
      throw InferenceException.invalidArgument("%s data: missing (expected: an array of %d elements, or "
          + "parameters.binary_data_size with the bytes after the JSON)", where, Tensor.elementCount(shape));
    }
    return RequestInput.json(name, dataType, shape, data.buffer());
  }

  private static long[] shape(JsonParser parser, JsonToken token, String where) throws IOException {
    expect(parser, token, JsonToken.START_ARRAY, where + " shape");
    long[] dims = new long[4];
    int rank = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
        throw InferenceException.invalidArgument("%s shape: %s (expected: integers >= 0)", where,
            parser.getText());
      }
      if (rank == dims.length) {
        dims = Arrays.copyOf(dims, rank * 2);
      }
      dims[rank++] = parser.getLongValue();
    }
    return Arrays.copyOf(dims, rank);
  }

  private static List<String> outputs(JsonParser parser, JsonToken token, Map<String, Boolean> binaryByOutput,
      Map<String, Integer> classificationByOutput) throws IOException {
    expect(parser, token, JsonToken.START_ARRAY, "outputs");
    List<String> names = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      String where = "outputs[" + names.size() + "]";
      expect(parser, parser.currentToken(), JsonToken.START_OBJECT, where);
      String name = null;
      Map<String, Object> parameters = Map.of();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "name" -> name = string(parser, value, where + " name");
          case "parameters" -> parameters = parameters(parser, value, where + " parameters");
          default -> parser.skipChildren();
        }
      }
      if (name == null) {
        throw InferenceException.invalidArgument("%s name: missing (expected: a string)", where);
      }
      // as Triton: a listed output is binary only when it says so itself, whatever binary_data_output says
      Object binary = parameters.get(BINARY_DATA);
      binaryByOutput.put(name, binary != null && bool(binary, "output '" + name + "' parameters." + BINARY_DATA));
      Object classes = parameters.get(OutputClassification.PARAMETER);
      if (classes != null) {
        if (!(classes instanceof Long count)) {
          throw InferenceException.invalidArgument("output '%s' parameters.%s: %s (expected: an integer > 0, the "
              + "number of top classes)", name, OutputClassification.PARAMETER, classes);
        }
        classificationByOutput.put(name, OutputClassification.count(name, count));
      }
      names.add(name);
    }
    return names;
  }

  private static Map<String, Object> parameters(JsonParser parser, JsonToken token, String where)
      throws IOException {
    expect(parser, token, JsonToken.START_OBJECT, where);
    Map<String, Object> values = new HashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (value) {
        case VALUE_TRUE, VALUE_FALSE -> values.put(key, parser.getBooleanValue());
        case VALUE_NUMBER_INT -> values.put(key, parser.getLongValue());
        case VALUE_NUMBER_FLOAT -> values.put(key, parser.getDoubleValue());
        case VALUE_STRING -> values.put(key, parser.getText());
        default -> throw InferenceException.invalidArgument("%s.%s: %s (expected: a bool, number or string)",
            where, key, value);
      }
    }
    return values;
  }

  private static boolean bool(@Nullable Object value, String where) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    throw InferenceException.invalidArgument("%s: %s (expected: true or false)", where, value);
  }

  private static long longParameter(Map<String, Object> parameters, String key) {
    Object value = parameters.get(key);
    if (value == null) {
      return 0;
    }
    if (value instanceof Long number) {
      return number;
    }
    throw InferenceException.invalidArgument("parameter '%s': %s (expected: an integer)", key, value);
  }

  private static String string(JsonParser parser, JsonToken token, String where) throws IOException {
    expect(parser, token, JsonToken.VALUE_STRING, where);
    return parser.getText();
  }

  static void expect(JsonParser parser, @Nullable JsonToken actual, JsonToken expected, String where)
      throws IOException {
    if (actual != expected) {
      throw InferenceException.invalidArgument("%s: %s (expected: %s)", where,
          actual == null ? "end of input" : describe(parser, actual), describe(expected));
    }
  }

  private static String describe(JsonParser parser, JsonToken token) throws IOException {
    return token.isScalarValue() ? token.asString() == null ? parser.getText() : token.asString()
        : describe(token);
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a JSON object";
      case START_ARRAY -> "a JSON array";
      case VALUE_STRING -> "a string";
      default -> token.toString();
    };
  }
}
