package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a KServe v2 inference response body: the JSON object, outputs with their elements as
 * {@code data} (flat, BYTES as strings) or, for outputs asked for as binary, with
 * {@code "parameters": {"binary_data_size": K}} and their raw bytes appended after the JSON in
 * output order (Triton's binary tensor data extension).
 */
final class InferResponseWriter {

  /**
   * An encoded response body.
   *
   * @param jsonLength the byte length of the JSON at the start of the body, the
   *     {@code Inference-Header-Content-Length} of a binary body
   * @param binary whether binary tensor data follows the JSON (as Triton: some binary output has bytes)
   */
  record Body(byte[] bytes, int jsonLength, boolean binary) {}

  private InferResponseWriter() {}

  static Body write(InferResponse response, OutputFormat format) {
    List<Tensor> binaryOutputs = new ArrayList<>();
    byte[] json = JsonWriter.write(generator -> writeJson(generator, response, format, binaryOutputs));
    long binaryBytes = 0;
    for (Tensor output : binaryOutputs) {
      binaryBytes += output.byteSize();
    }
    if (binaryBytes == 0) {
      return new Body(json, json.length, false);
    }
    if (json.length + binaryBytes > Integer.MAX_VALUE - 8) {
      throw InferenceException.internal("response body: %d bytes of binary outputs (expected: < 2 GiB in one "
          + "HTTP response)", binaryBytes);
    }
    byte[] body = new byte[(int) (json.length + binaryBytes)];
    System.arraycopy(json, 0, body, 0, json.length);
    int offset = json.length;
    for (Tensor output : binaryOutputs) {
      ByteBuffer data = output.data();
      int size = data.remaining();
      data.get(0, body, offset, size);
      offset += size;
    }
    return new Body(body, json.length, true);
  }

  private static void writeJson(JsonGenerator json, InferResponse response, OutputFormat format,
      List<Tensor> binaryOutputs) throws IOException {
    json.writeStartObject();
    json.writeStringField("model_name", response.modelName());
    json.writeStringField("model_version", response.modelVersion());
    if (!response.id().isEmpty()) {
      json.writeStringField("id", response.id());
    }
    if (!response.parameters().isEmpty()) {
      json.writeFieldName("parameters");
      parameters(json, response.parameters());
    }
    json.writeArrayFieldStart("outputs");
    for (Tensor output : response.outputs()) {
      json.writeStartObject();
      json.writeStringField("name", output.name());
      json.writeStringField("datatype", output.dataType().wireName());
      json.writeArrayFieldStart("shape");
      for (int d = 0; d < output.rank(); d++) {
        json.writeNumber(output.dim(d));
      }
      json.writeEndArray();
      if (format.binary(output.name())) {
        json.writeObjectFieldStart("parameters");
        json.writeNumberField(JsonRequestDecoder.BINARY_DATA_SIZE, output.byteSize());
        json.writeEndObject();
        binaryOutputs.add(output);
      } else {
        json.writeFieldName("data");
        data(json, output);
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void parameters(JsonGenerator json, Map<String, Object> parameters) throws IOException {
    json.writeStartObject();
    for (Map.Entry<String, Object> entry : parameters.entrySet()) {
      Object value = entry.getValue();
      if (value instanceof Boolean bool) {
        json.writeBooleanField(entry.getKey(), bool);
      } else if (value instanceof Long || value instanceof Integer) {
        json.writeNumberField(entry.getKey(), ((Number) value).longValue());
      } else if (value instanceof Number number) {
        json.writeNumberField(entry.getKey(), number.doubleValue());
      } else {
        json.writeStringField(entry.getKey(), String.valueOf(value));
      }
    }
    json.writeEndObject();
  }

  private static void data(JsonGenerator json, Tensor tensor) throws IOException {
    ByteBuffer data = tensor.data();
    int size = data.remaining();
    json.writeStartArray();
    switch (tensor.dataType()) {
      case BOOL -> {
        for (int i = 0; i < size; i++) {
          json.writeBoolean(data.get(i) != 0);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < size; i++) {
          json.writeNumber(data.get(i) & 0xFF);
        }
      }
      case UINT16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          json.writeNumber(data.getShort(i) & 0xFFFF);
        }
      }
      case UINT32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          json.writeNumber(data.getInt(i) & 0xFFFF_FFFFL);
        }
      }
      case UINT64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          long value = data.getLong(i);
          if (value >= 0) {
            json.writeNumber(value);
          } else {
            json.writeNumber(Long.toUnsignedString(value));
          }
        }
      }
      case INT8 -> {
        for (int i = 0; i < size; i++) {
          json.writeNumber(data.get(i));
        }
      }
      case INT16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          json.writeNumber(data.getShort(i));
        }
      }
      case INT32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          json.writeNumber(data.getInt(i));
        }
      }
      case INT64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          json.writeNumber(data.getLong(i));
        }
      }
      case FP32 -> {
        for (int i = 0; i + 4 <= size; i += 4) {
          json.writeNumber(data.getFloat(i));
        }
      }
      case FP64 -> {
        for (int i = 0; i + 8 <= size; i += 8) {
          json.writeNumber(data.getDouble(i));
        }
      }
      case BF16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          json.writeNumber(Float.intBitsToFloat((data.getShort(i) & 0xFFFF) << 16));
        }
      }
      case FP16 -> {
        for (int i = 0; i + 2 <= size; i += 2) {
          json.writeNumber(HalfFloat.toFloat(data.getShort(i)));
        }
      }
      case BYTES -> {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        int offset = 0;
        for (int index = 0; offset + 4 <= size; index++) {
          int length = data.getInt(offset);
          if (length < 0 || offset + 4L + length > size) {
            throw InferenceException.internal("output '%s' BYTES element at byte %d: length %d "
                + "(expected: <= %d remaining)", tensor.name(), offset, length, size - offset - 4);
          }
          json.writeString(utf8(utf8, tensor.name(), index, data.slice(offset + 4, length)));
          offset += 4 + length;
        }
      }
    }
    json.writeEndArray();
  }

  /**
   * A BYTES element as JSON text. Bytes that are not UTF-8 cannot be JSON text: rather than
   * replace them (silently changing the data), the request is refused with the way to get them.
   */
  private static String utf8(CharsetDecoder decoder, String output, int index, ByteBuffer element) {
    try {
      return decoder.decode(element).toString();
    } catch (CharacterCodingException notUtf8) {
      throw InferenceException.invalidArgument("output '%s' BYTES element %d: not valid UTF-8, which JSON "
          + "cannot carry (expected: ask for the output with \"binary_data\": true)", output, index);
    }
  }
}
