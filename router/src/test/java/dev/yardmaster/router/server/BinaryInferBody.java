package dev.yardmaster.router.server;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds KServe v2 HTTP inference bodies the way tritonclient.http does for binary inputs (a JSON
 * header, then each binary input's bytes in input order), and splits binary responses.
 */
final class BinaryInferBody {

  /** Reads and writes NaN, Infinity and -Infinity as bare tokens, as Triton's rapidjson and Python's json do. */
  static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

  private final ObjectNode header = JSON.createObjectNode();
  private final ArrayNode inputs = header.putArray("inputs");
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

  /** An input sent as binary data with {@code binary_data_size} = its byte count. */
  BinaryInferBody binaryInput(String name, String datatype, long[] shape, byte[] data) {
    return binaryInput(name, datatype, shape, data, data.length);
  }

  /** An input sent as binary data declaring {@code declaredSize} bytes (for bad requests). */
  BinaryInferBody binaryInput(String name, String datatype, long[] shape, byte[] data, long declaredSize) {
    ObjectNode input = tensor(name, datatype, shape);
    input.putObject("parameters").put("binary_data_size", declaredSize);
    binary.writeBytes(data);
    return this;
  }

  /** An input sent as JSON {@code data}. */
  BinaryInferBody jsonInput(String name, String datatype, long[] shape, String dataJson) {
    try {
      tensor(name, datatype, shape).set("data", JSON.readTree(dataJson));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A requested output, with {@code binary_data} set when not null. */
  BinaryInferBody output(String name, Boolean binaryData) {
    ArrayNode outputs = header.has("outputs") ? (ArrayNode) header.get("outputs") : header.putArray("outputs");
    ObjectNode output = outputs.addObject().put("name", name);
    if (binaryData != null) {
      output.putObject("parameters").put("binary_data", binaryData);
    }
    return this;
  }

  /** A requested output asking for its top {@code classes} classes (Triton's classification extension). */
  BinaryInferBody output(String name, boolean binaryData, int classes) {
    output(name, binaryData);
    if (classes > 0) {
      ArrayNode outputs = (ArrayNode) header.get("outputs");
      ((ObjectNode) outputs.get(outputs.size() - 1).get("parameters")).put("classification", classes);
    }
    return this;
  }

  /** The request's {@code id}, which the answer echoes. */
  BinaryInferBody id(String id) {
    header.put("id", id);
    return this;
  }

  BinaryInferBody parameter(String key, boolean value) {
    ObjectNode parameters = header.has("parameters") ? (ObjectNode) header.get("parameters")
        : header.putObject("parameters");
    parameters.put(key, value);
    return this;
  }

  byte[] json() {
    return header.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON header followed by the binary data. */
  byte[] body() {
    byte[] json = json();
    byte[] tail = binary.toByteArray();
    byte[] body = Arrays.copyOf(json, json.length + tail.length);
    System.arraycopy(tail, 0, body, json.length, tail.length);
    return body;
  }

  private ObjectNode tensor(String name, String datatype, long[] shape) {
    ObjectNode input = inputs.addObject().put("name", name).put("datatype", datatype);
    ArrayNode dims = input.putArray("shape");
    for (long dim : shape) {
      dims.add(dim);
    }
    return input;
  }

  static byte[] floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  static float[] toFloats(byte[] bytes) {
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  /** BYTES elements as Triton serializes them: a 4-byte little-endian length, then the bytes. */
  static byte[] strings(String... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String value : values) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
      out.writeBytes(utf8);
    }
    return out.toByteArray();
  }

  /**
   * A response split as tritonclient.http splits it: the JSON header (the whole body without an
   * {@code Inference-Header-Content-Length}) and each binary output's bytes, by output name.
   */
  record Response(JsonNode json, Map<String, byte[]> binaryOutputs) {

    static Response parse(byte[] body, String headerLength) throws IOException {
      int jsonLength = headerLength == null ? body.length : Integer.parseInt(headerLength);
      JsonNode json = JSON.readTree(Arrays.copyOf(body, jsonLength));
      Map<String, byte[]> outputs = new LinkedHashMap<>();
      int offset = jsonLength;
      for (JsonNode output : json.path("outputs")) {
        JsonNode size = output.path("parameters").path("binary_data_size");
        if (!size.isMissingNode()) {
          outputs.put(output.get("name").asText(), Arrays.copyOfRange(body, offset, offset + size.asInt()));
          offset += size.asInt();
        }
      }
      if (offset != body.length) {
        throw new IllegalStateException("response: " + (body.length - offset) + " bytes after the outputs");
      }
      return new Response(json, outputs);
    }

    JsonNode output(String name) {
      for (JsonNode output : json.path("outputs")) {
        if (output.get("name").asText().equals(name)) {
          return output;
        }
      }
      throw new AssertionError("no output " + name + " in " + json);
    }
  }
}
