package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelMetadataRequest;
import dev.yardmaster.protocol.v2.ModelMetadataResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerMetadataRequest;
import dev.yardmaster.protocol.v2.ServerMetadataResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import dev.yardmaster.router.server.ModelProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's qa/L0_server_status (server_status_test.py: ServerMetadataTest and ModelMetadataTest)
 * over real gRPC and HTTP against ONNX models: server and model metadata, readiness per version,
 * and ModelStatistics per version. Triton's test.sh deletes and adds version directories under
 * poll mode; here the model is reloaded under explicit control, as the qa/L0_lifecycle port does.
 * Triton's models are graphdef/onnx/plan of several datatypes; here every model is the demo
 * add_sub graph (FP32 [-1,16]) under Triton's version layouts. Messages are Yardmaster's own; the
 * tests assert status codes and that messages name the model.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TritonL0ServerStatusTest extends RepositoryServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Triton's *_int32_int32_int32: versions 1, 2 and 3, all served. */
  private static final String ALL_VERSIONS = "onnx_all_versions";
  /** Triton's *_float32_float32_float32: versions 1, 2 and 3, the policy serves 1 and 3. */
  private static final String SPECIFIC_VERSIONS = "onnx_specific_versions";
  /** Triton's *_float16_float32_float32: version 1 under the default (latest 1) policy. */
  private static final String LATEST_VERSION = "onnx_latest_version";


  @BeforeEach
  void start() throws IOException {
    writeModel(ALL_VERSIONS, ModelVersionPolicy.newBuilder().setAll(ModelVersionPolicy.All.getDefaultInstance())
        .build(), 1, 2, 3);
    writeModel(SPECIFIC_VERSIONS, ModelVersionPolicy.newBuilder().setSpecific(ModelVersionPolicy.Specific.newBuilder()
        .addVersions(1).addVersions(3)).build(), 1, 2, 3);
    writeModel(LATEST_VERSION, null, 1);
    serve(AddSubRepository.serve(repository, RepositoryOptions.loadOnly(ALL_VERSIONS, SPECIFIC_VERSIONS,
        LATEST_VERSION)));
  }

  // server_status_test.py ServerMetadataTest.test_basic: live, ready, the server's name and
  // version, the statistics and repository extensions among others, and a model's metadata by name.
  @Test
  void test_basic() throws Exception {
    assertServerLiveAndReady();
    ServerMetadataResponse grpc = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
    JsonNode httpMetadata = httpJson("/v2", 200);

    // Triton answers "triton" and its release; Yardmaster names itself (ModelProtos.SERVER_NAME)
    assertThat(grpc.getName()).isEqualTo(ModelProtos.SERVER_NAME);
    assertThat(grpc.getVersion()).isEqualTo(ModelProtos.SERVER_VERSION);
    assertThat(httpMetadata.get("name").asText()).isEqualTo(ModelProtos.SERVER_NAME);
    assertThat(httpMetadata.get("version").asText()).isEqualTo(ModelProtos.SERVER_VERSION);
    // Triton's list less sequence and shared memory, which ModelProtos.EXTENSIONS leaves out on purpose
    List<String> extensions = List.of("classification", "model_repository", "schedule_policy",
        "model_configuration", "binary_tensor_data", "statistics");
    assertThat(grpc.getExtensionsList()).containsAll(extensions);
    List<String> httpExtensions = new ArrayList<>();
    httpMetadata.get("extensions").forEach(extension -> httpExtensions.add(extension.asText()));
    assertThat(httpExtensions).containsAll(extensions);
    assertThat(grpcMetadata(ALL_VERSIONS, "").getName()).isEqualTo(ALL_VERSIONS);
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS, 200).get("name").asText()).isEqualTo(ALL_VERSIONS);
  }

  // ServerMetadataTest.test_unknown_model: metadata of 'foo' fails, "Request for unknown model:
  // 'foo' is not found" (NOT_FOUND), over both protocols; the server stays live and ready.
  @Test
  void test_unknown_model() throws Exception {
    assertServerLiveAndReady();
    Status status = grpcFailure(() -> grpcMetadata("foo", ""));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'foo'", "not found");
    assertThat(httpJson("/v2/models/foo", 404).get("error").asText()).contains("'foo'", "not found");
  }

  // ServerMetadataTest.test_unknown_model_version: metadata of version 99 fails, "Request for
  // unknown model: '...' version 99 is not found" (NOT_FOUND).
  @Test
  void test_unknown_model_version() throws Exception {
    assertServerLiveAndReady();
    Status status = grpcFailure(() -> grpcMetadata(ALL_VERSIONS, "99"));

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).contains("'" + ALL_VERSIONS + "'", "99", "not found");
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS + "/versions/99", 404).get("error").asText())
        .contains("'" + ALL_VERSIONS + "'", "99", "not found");
  }

  // ServerMetadataTest.test_model_latest_infer: all three versions listed and ready, platform
  // onnxruntime_onnx, two inputs and outputs of [-1, 16]; an inference without a version runs the
  // latest (3), and per-version statistics show it there and nowhere else.
  @Test
  void test_model_latest_infer() throws Exception {
    ModelMetadataResponse metadata = grpcMetadata(ALL_VERSIONS, "");
    assertThat(metadata.getVersionsList()).containsExactly("1", "2", "3");
    assertThat(metadata.getPlatform()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.getInputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
        .containsExactlyInAnyOrder("INPUT0", "INPUT1");
    assertThat(metadata.getOutputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
        .containsExactlyInAnyOrder("OUTPUT0", "OUTPUT1");
    for (ModelMetadataResponse.TensorMetadata tensor : concat(metadata.getInputsList(), metadata.getOutputsList())) {
      assertThat(tensor.getDatatype()).isEqualTo("FP32");
      assertThat(tensor.getShapeList()).containsExactly(-1L, 16L);
    }
    JsonNode httpMetadata = httpJson("/v2/models/" + ALL_VERSIONS, 200);
    assertThat(httpMetadata.get("versions")).isEqualTo(JSON.readTree("[\"1\",\"2\",\"3\"]"));
    assertThat(httpMetadata.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(httpMetadata.get("inputs").get(0).get("shape")).isEqualTo(JSON.readTree("[-1,16]"));

    assertThat(stub.modelInfer(AddSubRepository.request(1).toBuilder().setModelName(ALL_VERSIONS).build())
        .getModelVersion()).isEqualTo("3");
    assertThat(http.post("/v2/models/" + ALL_VERSIONS + "/infer", AddSubRepository.jsonRequest(1)).statusCode())
        .isEqualTo(200);

    for (int version = 1; version <= 3; version++) {
      assertThat(grpcReady(ALL_VERSIONS, Integer.toString(version))).isTrue();
      assertThat(http.get("/v2/models/" + ALL_VERSIONS + "/versions/" + version + "/ready").statusCode())
          .isEqualTo(200);
    }
    List<ModelStatistics> stats = grpcStats(ALL_VERSIONS, "");
    assertThat(stats).extracting(ModelStatistics::getVersion).containsExactlyInAnyOrder("1", "2", "3");
    for (ModelStatistics each : stats) {
      assertThat(each.getInferenceStats().getSuccess().getCount()).as("version %s", each.getVersion())
          .isEqualTo(each.getVersion().equals("3") ? 2 : 0);
    }
    JsonNode httpStats = httpJson("/v2/models/" + ALL_VERSIONS + "/stats", 200).get("model_stats");
    assertThat(httpStats).hasSize(3);
    for (JsonNode each : httpStats) {
      assertThat(each.get("inference_stats").get("success").get("count").asLong())
          .isEqualTo(each.get("version").asText().equals("3") ? 2 : 0);
    }
  }

  // ServerMetadataTest.test_model_specific_infer: of versions 1, 2 and 3 the policy serves 1 and
  // 3; an inference on version 1 shows in version 1's statistics only.
  @Test
  void test_model_specific_infer() throws Exception {
    assertReadyVersions(SPECIFIC_VERSIONS, 1, 3);
    assertNotReadyVersions(SPECIFIC_VERSIONS, 2);

    assertThat(stub.modelInfer(AddSubRepository.request(1).toBuilder().setModelName(SPECIFIC_VERSIONS)
        .setModelVersion("1").build()).getModelVersion()).isEqualTo("1");

    assertReadyVersions(SPECIFIC_VERSIONS, 1, 3);
    assertNotReadyVersions(SPECIFIC_VERSIONS, 2);
    assertThat(grpcStats(SPECIFIC_VERSIONS, "1")).singleElement()
        .satisfies(one -> assertThat(one.getInferenceStats().getSuccess().getCount()).isEqualTo(1));
    assertThat(httpJson("/v2/models/" + SPECIFIC_VERSIONS + "/versions/1/stats", 200).get("model_stats"))
        .singleElement().satisfies(one ->
            assertThat(one.get("inference_stats").get("success").get("count").asLong()).isEqualTo(1));
    assertThat(grpcStats(SPECIFIC_VERSIONS, "3")).singleElement()
        .satisfies(three -> assertThat(three.getInferenceStats().getSuccess().getCount()).isZero());
  }

  // ModelMetadataTest.test_model_versions_deleted: versions 2 and 3 removed from the repository
  // (after version 3 ran once); the model then lists version 1 alone, which is ready with no
  // inferences; 2 and 3 are not ready.
  @Test
  void test_model_versions_deleted() throws Exception {
    stub.modelInfer(AddSubRepository.request(1).toBuilder().setModelName(ALL_VERSIONS).build());
    deleteVersions(ALL_VERSIONS, 2, 3);
    reload(ALL_VERSIONS);

    assertServerLiveAndReady();
    assertThat(grpcMetadata(ALL_VERSIONS, "").getVersionsList()).containsExactly("1");
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS, 200).get("versions")).isEqualTo(JSON.readTree("[\"1\"]"));
    assertReadyVersions(ALL_VERSIONS, 1);
    assertThat(grpcStats(ALL_VERSIONS, "1")).singleElement()
        .satisfies(one -> assertThat(one.getInferenceStats().getSuccess().getCount()).isZero());
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS + "/versions/1/stats", 200).get("model_stats"))
        .singleElement().satisfies(one ->
            assertThat(one.get("inference_stats").get("success").get("count").asLong()).isZero());
    assertNotReadyVersions(ALL_VERSIONS, 2, 3);
  }

  // ModelMetadataTest.test_model_versions_added: version 7 added beside 1 under the latest-1
  // policy; 7 alone is listed and ready, with no inferences; 1 is not ready and its statistics
  // are refused, "requested model version is not available for model" (Triton's
  // TRITONSERVER_ServerModelStatistics: INVALID_ARG).
  @Test
  void test_model_versions_added() throws Exception {
    copyVersion(LATEST_VERSION, 1, 7);
    reload(LATEST_VERSION);

    assertThat(grpcMetadata(LATEST_VERSION, "").getVersionsList()).containsExactly("7");
    assertThat(httpJson("/v2/models/" + LATEST_VERSION, 200).get("versions")).isEqualTo(JSON.readTree("[\"7\"]"));
    assertReadyVersions(LATEST_VERSION, 7);
    assertThat(grpcStats(LATEST_VERSION, "7")).singleElement()
        .satisfies(seven -> assertThat(seven.getInferenceStats().getSuccess().getCount()).isZero());
    assertNotReadyVersions(LATEST_VERSION, 1);

    Status status = grpcFailure(() -> grpcStats(LATEST_VERSION, "1"));
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("requested model version is not available for model '" + LATEST_VERSION + "'");
    assertThat(httpJson("/v2/models/" + LATEST_VERSION + "/versions/1/stats", 400).get("error").asText())
        .isEqualTo("requested model version is not available for model '" + LATEST_VERSION + "'");
  }

  // ModelMetadataTest.test_infer_stats_no_model_version: after versions 2 and 3 are removed, the
  // statistics of the model without a version hold one entry, version 1, with no inferences.
  @Test
  void test_infer_stats_no_model_version() throws Exception {
    stub.modelInfer(AddSubRepository.request(1).toBuilder().setModelName(ALL_VERSIONS).build());
    deleteVersions(ALL_VERSIONS, 2, 3);
    reload(ALL_VERSIONS);

    assertThat(grpcMetadata(ALL_VERSIONS, "").getVersionsList()).containsExactly("1");
    assertReadyVersions(ALL_VERSIONS, 1);
    assertNotReadyVersions(ALL_VERSIONS, 2, 3);
    assertThat(grpcStats(ALL_VERSIONS, "")).singleElement().satisfies(one -> {
      assertThat(one.getVersion()).isEqualTo("1");
      assertThat(one.getInferenceStats().getSuccess().getCount()).isZero();
    });
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS + "/stats", 200).get("model_stats")).singleElement()
        .satisfies(one -> assertThat(one.get("version").asText()).isEqualTo("1"));
  }

  // ModelMetadataTest.test_infer_stats_no_model: statistics without a model name cover every
  // ready version of every model (Triton's 219 for its repository): 3 + 2 + 1 here.
  @Test
  void test_infer_stats_no_model() throws Exception {
    List<ModelStatistics> stats = grpcStats("", "");

    assertThat(stats).extracting(each -> each.getName() + "/" + each.getVersion()).containsExactlyInAnyOrder(
        ALL_VERSIONS + "/1", ALL_VERSIONS + "/2", ALL_VERSIONS + "/3", SPECIFIC_VERSIONS + "/1",
        SPECIFIC_VERSIONS + "/3", LATEST_VERSION + "/1");
    assertThat(httpJson("/v2/models/stats", 200).get("model_stats")).hasSize(6);
  }

  // Triton core tritonserver.cc TRITONSERVER_ServerModelStatistics: a named model without a ready
  // version, an unknown one included, is INVALID_ARG "requested model 'foo' is not available".
  @Test
  void statisticsOfAnUnknownModelAreRefusedAsInvalid() throws Exception {
    Status status = grpcFailure(() -> grpcStats("foo", ""));

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).isEqualTo("requested model 'foo' is not available");
    assertThat(httpJson("/v2/models/foo/stats", 400).get("error").asText())
        .isEqualTo("requested model 'foo' is not available");
    assertThat(grpcFailure(() -> grpcStats("foo", "1")).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  // Triton core tritonserver.cc TRITONSERVER_ServerModelMetadata: the metadata of a version lists
  // that version alone; without a version, every ready one.
  @Test
  void metadataOfAVersionListsThatVersion() throws Exception {
    assertThat(grpcMetadata(ALL_VERSIONS, "2").getVersionsList()).containsExactly("2");
    assertThat(httpJson("/v2/models/" + ALL_VERSIONS + "/versions/2", 200).get("versions"))
        .isEqualTo(JSON.readTree("[\"2\"]"));
    assertThat(grpcMetadata(ALL_VERSIONS, "").getVersionsList()).containsExactly("1", "2", "3");
  }

  // Triton core infer_stats.cc (UpdateSuccess, UpdateFailure, UpdateInferBatchStatsWithDuration)
  // and tritonserver.cc SetDurationStat: per request, success and fail counts with durations;
  // queue and compute counts equal the success count (no cache here, so cache hits and misses
  // are 0); inference_count counts rows, execution_count model runs, batch_stats one entry per
  // executed batch size; last_inference moves with executions only. Yardmaster also counts a
  // request its validation refuses as a failure (ModelStats.recordFailure), where Triton refuses
  // it before any statistics.
  @Test
  void statisticsAfterSuccessesAndAFailure() throws Exception {
    ModelInferRequest badShape = ModelInferRequest.newBuilder(AddSubRepository.request(1)).setModelName(ALL_VERSIONS)
        .setModelVersion("1").setInputs(0, AddSubRepository.request(1).getInputs(0).toBuilder().setShape(1, 8))
        .build();
    assertThat(grpcFailure(() -> stub.modelInfer(badShape)).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    ModelStatistics afterFailure = grpcStats(ALL_VERSIONS, "1").get(0);
    assertThat(afterFailure.getInferenceStats().getFail().getCount()).isEqualTo(1);
    assertThat(afterFailure.getLastInference()).as("a failure is no inference").isZero();
    assertThat(afterFailure.getExecutionCount()).isZero();

    long before = System.currentTimeMillis();
    stub.modelInfer(AddSubRepository.request(1).toBuilder().setModelName(ALL_VERSIONS).setModelVersion("1").build());
    assertThat(http.post("/v2/models/" + ALL_VERSIONS + "/versions/1/infer", AddSubRepository.jsonRequest(3))
        .statusCode()).isEqualTo(200);

    ModelStatistics stats = grpcStats(ALL_VERSIONS, "1").get(0);
    assertThat(stats.getName()).isEqualTo(ALL_VERSIONS);
    assertThat(stats.getVersion()).isEqualTo("1");
    assertThat(stats.getInferenceCount()).isEqualTo(4);
    assertThat(stats.getExecutionCount()).isEqualTo(2);
    assertThat(stats.getLastInference()).isBetween(before, System.currentTimeMillis());
    var inference = stats.getInferenceStats();
    assertThat(inference.getSuccess().getCount()).isEqualTo(2);
    assertThat(inference.getSuccess().getNs()).isPositive();
    assertThat(inference.getFail().getCount()).isEqualTo(1);
    for (var counted : List.of(inference.getQueue(), inference.getComputeInput(), inference.getComputeInfer(),
        inference.getComputeOutput())) {
      assertThat(counted.getCount()).isEqualTo(2);
    }
    assertThat(inference.getComputeInfer().getNs()).isPositive();
    assertThat(inference.getSuccess().getNs()).isGreaterThanOrEqualTo(inference.getQueue().getNs()
        + inference.getComputeInput().getNs() + inference.getComputeInfer().getNs()
        + inference.getComputeOutput().getNs());
    assertThat(inference.getCacheHit().getCount()).isZero();
    assertThat(inference.getCacheMiss().getCount()).isZero();
    assertThat(stats.getBatchStatsList()).extracting(batch -> batch.getBatchSize() + ":"
        + batch.getComputeInfer().getCount()).containsExactly("1:1", "3:1");
    assertThat(grpcStats(ALL_VERSIONS, "3").get(0).getInferenceStats().getSuccess().getCount()).isZero();

    JsonNode httpStats = httpJson("/v2/models/" + ALL_VERSIONS + "/versions/1/stats", 200).get("model_stats").get(0);
    assertThat(httpStats.get("inference_count").asLong()).isEqualTo(4);
    assertThat(httpStats.get("execution_count").asLong()).isEqualTo(2);
    assertThat(httpStats.get("last_inference").asLong()).isEqualTo(stats.getLastInference());
    assertThat(httpStats.get("inference_stats").get("success").get("count").asLong()).isEqualTo(2);
    assertThat(httpStats.get("inference_stats").get("fail").get("count").asLong()).isEqualTo(1);
    assertThat(httpStats.get("inference_stats").get("queue").get("count").asLong()).isEqualTo(2);
    assertThat(httpStats.get("batch_stats")).hasSize(2);
  }

  private void assertServerLiveAndReady() throws Exception {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(http.get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(http.get("/v2/health/ready").statusCode()).isEqualTo(200);
  }

  private void assertReadyVersions(String model, int... versions) throws Exception {
    for (int version : versions) {
      assertThat(grpcReady(model, Integer.toString(version))).as("%s version %s", model, version).isTrue();
      assertThat(http.get("/v2/models/" + model + "/versions/" + version + "/ready").statusCode())
          .as("%s version %s", model, version).isEqualTo(200);
    }
  }

  private void assertNotReadyVersions(String model, int... versions) throws Exception {
    for (int version : versions) {
      assertThat(grpcReady(model, Integer.toString(version))).as("%s version %s", model, version).isFalse();
      assertThat(http.get("/v2/models/" + model + "/versions/" + version + "/ready").statusCode())
          .as("%s version %s", model, version).isNotEqualTo(200);
    }
  }

  private boolean grpcReady(String model, String version) {
    return stub.modelReady(ModelReadyRequest.newBuilder().setName(model).setVersion(version).build()).getReady();
  }

  private ModelMetadataResponse grpcMetadata(String model, String version) {
    return stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build());
  }

  private List<ModelStatistics> grpcStats(String model, String version) {
    return stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).setVersion(version).build())
        .getModelStatsList();
  }

  private JsonNode httpJson(String path, int expectedStatus) throws Exception {
    HttpResponse<String> response = http.get(path);
    assertThat(response.statusCode()).as("%s -> %s", path, response.body()).isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }

  private static Status grpcFailure(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
    assertThat(e).as("the call fails").isNotNull();
    return e.getStatus();
  }

  private void reload(String model) {
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(model).build());
  }

  private void writeModel(String name, ModelVersionPolicy policy, int... versions) throws IOException {
    ModelConfig.Builder config = DemoModels.config(AddSubRepository.MODEL, false).toBuilder().setName(name);
    if (policy != null) {
      config.setVersionPolicy(policy);
    }
    AddSubRepository.writeModel(repository, name, config.build());
    for (int version : versions) {
      if (version != 1) {
        copyVersion(name, 1, version);
      }
    }
  }

  private void copyVersion(String name, int from, int to) throws IOException {
    Path target = repository.resolve(name).resolve(Integer.toString(to));
    Files.createDirectories(target);
    Files.copy(repository.resolve(name).resolve(Integer.toString(from)).resolve("model.onnx"),
        target.resolve("model.onnx"));
  }

  private void deleteVersions(String name, int... versions) throws IOException {
    for (int version : versions) {
      try (Stream<Path> paths = Files.walk(repository.resolve(name).resolve(Integer.toString(version)))) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
