package dev.yardmaster.router.server;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.TensorSpec;
import dev.yardmaster.protocol.v2.InferBatchStatistics;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsResponse;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.StatisticDuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the metadata, statistics and index messages both front ends answer with (the HTTP side
 * renders the same messages as JSON), so the two can never disagree.
 */
public final class ModelProtos {

  /** The server name in metadata responses. */
  public static final String SERVER_NAME = "yardmaster";
  /** The server version in metadata responses. */
  public static final String SERVER_VERSION = "0.1.0";
  /**
   * The KServe/Triton protocol extensions this server really implements ({@code schedule_policy}:
   * the dynamic batcher's priority levels and queue policies). Not listed: shared memory, sequence
   * batching, trace, logging.
   */
  public static final List<String> EXTENSIONS = List.of("classification", "model_repository",
      "model_configuration", "schedule_policy", "statistics", "parameters", "binary_tensor_data");

  private ModelProtos() {}

  public static ServerMetadataResponse serverMetadata() {
    return ServerMetadataResponse.newBuilder()
        .setName(SERVER_NAME).setVersion(SERVER_VERSION).addAllExtensions(EXTENSIONS).build();
  }

  /**
   * Metadata of a model (the version "" picks the preferred one), shapes with a -1 batch dim. As
   * Triton's TRITONSERVER_ServerModelMetadata, {@code versions} lists every ready version when no
   * version is asked for, else the one asked for.
   */
  public static ModelMetadataResponse modelMetadata(ModelManager manager, String name, String version) {
    ModelSpec spec = manager.resolve(name, version).spec();
    ModelMetadataResponse.Builder builder = ModelMetadataResponse.newBuilder()
        .setName(spec.name())
        .addAllVersions(version.isEmpty() ? manager.readyVersions(name) : List.of(spec.version()))
        .setPlatform(spec.platform());
    for (TensorSpec input : spec.inputs()) {
      builder.addInputs(tensorMetadata(input, spec.batched()));
    }
    for (TensorSpec output : spec.outputs()) {
      builder.addOutputs(tensorMetadata(output, spec.batched()));
    }
    return builder.build();
  }

  private static ModelMetadataResponse.TensorMetadata tensorMetadata(TensorSpec tensor, boolean batched) {
    ModelMetadataResponse.TensorMetadata.Builder builder = ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(tensor.name()).setDatatype(tensor.dataType().wireName());
    for (long dim : tensor.shape(batched)) {
      builder.addShape(dim);
    }
    return builder.build();
  }

  /**
   * Statistics with Triton's selection rules (TRITONSERVER_ServerModelStatistics): no name means
   * every ready model, no version every ready version of the named model.
   *
   * @throws InferenceException INVALID_ARGUMENT, with Triton's messages, for a model without a
   *     ready version (an unknown one included) or a version that is not ready
   */
  public static ModelStatisticsResponse statistics(ModelManager manager, String name, String version) {
    List<ServedModel> models = new ArrayList<>();
    if (name.isEmpty()) {
      models.addAll(manager.readyModels());
    } else {
      List<String> versions = manager.readyVersions(name);
      if (versions.isEmpty()) {
        throw InferenceException.invalidArgument("requested model '%s' is not available", name);
      }
      if (!version.isEmpty()) {
        if (!versions.contains(version)) {
          throw InferenceException.invalidArgument("requested model version is not available for model '%s'", name);
        }
        versions = List.of(version);
      }
      for (String each : versions) {
        models.add(manager.resolve(name, each));
      }
    }
    ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
    for (ServedModel model : models) {
      response.addModelStats(statistics(model.spec(), model.stats()));
    }
    return response.build();
  }

  public static ModelStatistics statistics(ModelSpec spec, ModelStats stats) {
    ModelStatistics.Builder builder = ModelStatistics.newBuilder()
        .setName(spec.name())
        .setVersion(spec.version())
        .setLastInference(stats.lastInferenceMillis())
        .setInferenceCount(stats.inferenceCount())
        .setExecutionCount(stats.executionCount())
        .setInferenceStats(InferStatistics.newBuilder()
            .setSuccess(duration(stats.success()))
            .setFail(duration(stats.fail()))
            .setQueue(duration(stats.queue()))
            .setComputeInput(duration(stats.computeInput()))
            .setComputeInfer(duration(stats.computeInfer()))
            .setComputeOutput(duration(stats.computeOutput()))
            .setCacheHit(StatisticDuration.getDefaultInstance())
            .setCacheMiss(StatisticDuration.getDefaultInstance()));
    Map<Integer, ModelStats.BatchStats> bySize = new TreeMap<>(stats.batchStats());
    bySize.forEach((batchSize, batch) -> builder.addBatchStats(InferBatchStatistics.newBuilder()
        .setBatchSize(batchSize)
        .setComputeInput(duration(batch.computeInput()))
        .setComputeInfer(duration(batch.computeInfer()))
        .setComputeOutput(duration(batch.computeOutput()))));
    return builder.build();
  }

  private static StatisticDuration duration(ModelStats.Duration duration) {
    return StatisticDuration.newBuilder().setCount(duration.count()).setNs(duration.nanos()).build();
  }

  public static RepositoryIndexResponse index(ModelManager manager, boolean readyOnly) {
    RepositoryIndexResponse.Builder response = RepositoryIndexResponse.newBuilder();
    for (ModelIndexEntry entry : manager.index(readyOnly)) {
      response.addModels(RepositoryIndexResponse.ModelIndex.newBuilder()
          .setName(entry.name()).setVersion(entry.version())
          .setState(entry.state()).setReason(entry.reason()));
    }
    return response.build();
  }
}
