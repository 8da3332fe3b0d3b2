package dev.yardmaster.router.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
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

/**
 * Writes the KServe v2 JSON bodies: errors and the JSON forms of the metadata, statistics and
 * index messages, with Triton's field names ({@link InferResponseWriter} writes inference responses).
 */
final class JsonWriter {

  /** Writes special floats as the bare tokens NaN, Infinity and -Infinity, as Triton's rapidjson writer does. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

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

  /**
   * The index as Triton's {@code TRITONSERVER_ServerModelIndex} writes it: the name always; the
   * version, state and reason only when set (a name-only row is {@code {"name": ...}} alone).
   */
  static byte[] index(RepositoryIndexResponse index) {
    return write(json -> {
      json.writeStartArray();
      for (RepositoryIndexResponse.ModelIndex model : index.getModelsList()) {
        json.writeStartObject();
        json.writeStringField("name", model.getName());
        if (!model.getVersion().isEmpty()) {
          json.writeStringField("version", model.getVersion());
        }
        if (!model.getState().isEmpty()) { // empty on a name-only row: Triton writes the name alone
          json.writeStringField("state", model.getState());
        }
        if (!model.getReason().isEmpty()) {
          json.writeStringField("reason", model.getReason());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }
}
