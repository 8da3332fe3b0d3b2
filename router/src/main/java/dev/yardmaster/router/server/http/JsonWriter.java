package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.yardmaster.backend.InferResponse;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.InferBatchStatistics;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.StatisticDuration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the KServe v2 JSON bodies: inference responses (tensor data flat, BYTES as strings) and
 * the JSON forms of the metadata, statistics and index messages, with Triton's field names.
 */
final class JsonWriter {

  private static final JsonFactory FACTORY = new JsonFactory();

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private JsonWriter() {}

  static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] error(String message) {
    return write(json -> {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    });
  }

  static byte[] inferResponse(InferResponse response) {
    return write(json -> {
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
        json.writeFieldName("data");
        data(json, output);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
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
        int offset = 0;
        while (offset + 4 <= size) {
          int length = data.getInt(offset);
          if (length < 0 || offset + 4L + length > size) {
            throw InferenceException.internal("output '%s' BYTES element at byte %d: length %d "
                + "(expected: <= %d remaining)", tensor.name(), offset, length, size - offset - 4);
          }
          byte[] element = new byte[length];
          data.get(offset + 4, element);
          json.writeString(new String(element, StandardCharsets.UTF_8));
          offset += 4 + length;
        }
      }
    }
    json.writeEndArray();
  }

  static byte[] serverMetadata(ServerMetadataResponse metadata) {
    return write(json -> {
      json.writeStartObject();
      json.writeStringField("name", metadata.getName());
      json.writeStringField("version", metadata.getVersion());
      json.writeArrayFieldStart("extensions");
      for (String extension : metadata.getExtensionsList()) {
        json.writeString(extension);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  static byte[] modelMetadata(ModelMetadataResponse metadata) {
    return write(json -> {
      json.writeStartObject();
      json.writeStringField("name", metadata.getName());
      json.writeArrayFieldStart("versions");
      for (String version : metadata.getVersionsList()) {
        json.writeString(version);
      }
      json.writeEndArray();
      json.writeStringField("platform", metadata.getPlatform());
      tensors(json, "inputs", metadata.getInputsList());
      tensors(json, "outputs", metadata.getOutputsList());
      json.writeEndObject();
    });
  }

  private static void tensors(JsonGenerator json, String field,
      java.util.List<ModelMetadataResponse.TensorMetadata> tensors) throws IOException {
    json.writeArrayFieldStart(field);
    for (ModelMetadataResponse.TensorMetadata tensor : tensors) {
      json.writeStartObject();
      json.writeStringField("name", tensor.getName());
      json.writeStringField("datatype", tensor.getDatatype());
      json.writeArrayFieldStart("shape");
      for (long dim : tensor.getShapeList()) {
        json.writeNumber(dim);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  static byte[] statistics(ModelStatisticsResponse response) {
    return write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("model_stats");
      for (ModelStatistics stats : response.getModelStatsList()) {
        json.writeStartObject();
        json.writeStringField("name", stats.getName());
        json.writeStringField("version", stats.getVersion());
        json.writeNumberField("last_inference", stats.getLastInference());
        json.writeNumberField("inference_count", stats.getInferenceCount());
        json.writeNumberField("execution_count", stats.getExecutionCount());
        InferStatistics inference = stats.getInferenceStats();
        json.writeObjectFieldStart("inference_stats");
        duration(json, "success", inference.getSuccess());
        duration(json, "fail", inference.getFail());
        duration(json, "queue", inference.getQueue());
        duration(json, "compute_input", inference.getComputeInput());
        duration(json, "compute_infer", inference.getComputeInfer());
        duration(json, "compute_output", inference.getComputeOutput());
        duration(json, "cache_hit", inference.getCacheHit());
        duration(json, "cache_miss", inference.getCacheMiss());
        json.writeEndObject();
        json.writeArrayFieldStart("batch_stats");
        for (InferBatchStatistics batch : stats.getBatchStatsList()) {
          json.writeStartObject();
          json.writeNumberField("batch_size", batch.getBatchSize());
          duration(json, "compute_input", batch.getComputeInput());
          duration(json, "compute_infer", batch.getComputeInfer());
          duration(json, "compute_output", batch.getComputeOutput());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private static void duration(JsonGenerator json, String field, StatisticDuration duration) throws IOException {
    json.writeObjectFieldStart(field);
    json.writeNumberField("count", duration.getCount());
    json.writeNumberField("ns", duration.getNs());
    json.writeEndObject();
  }

  static byte[] index(RepositoryIndexResponse index) {
    return write(json -> {
      json.writeStartArray();
      for (RepositoryIndexResponse.ModelIndex model : index.getModelsList()) {
        json.writeStartObject();
        json.writeStringField("name", model.getName());
        if (!model.getVersion().isEmpty()) {
          json.writeStringField("version", model.getVersion());
        }
        json.writeStringField("state", model.getState());
        if (!model.getReason().isEmpty()) {
          json.writeStringField("reason", model.getReason());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }
}
