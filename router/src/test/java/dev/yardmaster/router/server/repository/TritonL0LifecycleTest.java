package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.TextFormat;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.ModelRepositoryParameter;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triton's qa/L0_lifecycle (lifecycle_test.py with test.sh's server arguments), the cases that
 * apply to ONNX models under explicit model control, ported over real gRPC, HTTP and ONNX Runtime.
 * Each test names the Triton case it ports. Messages are Yardmaster's own: the tests assert status
 * codes, readiness, index states and that reasons name the right model, version or file.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TritonL0LifecycleTest extends RepositoryServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "onnx_float32_float32_float32";
  private static final String OTHER = "other_float32_float32_float32";


  // test.sh "LifeCycleTest.test_parse_error_modelfail": a model whose version cannot be read
  // fails at start; the server is live, not ready (strict readiness), the others serve.
  @Test
  void test_parse_error_modelfail() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    writeModel(OTHER, config(OTHER, null), 1);
    Files.writeString(repository.resolve(MODEL).resolve("1").resolve("model.onnx"), "not an onnx model");
    start(RepositoryOptions.loadAllModels());

    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    assertThat(http.get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(http.get("/v2/health/ready").statusCode()).isNotEqualTo(200);
    assertReady(MODEL, 1, false);
    assertInferFails(MODEL, 1, Status.Code.UNAVAILABLE, "'" + MODEL + "'");
    assertReady(OTHER, 1, true);
    assertThat(infer(OTHER, 1).getModelVersion()).isEqualTo("1");
    assertThat(indexRows(MODEL)).singleElement().satisfies(row -> {
      assertThat(row.getState()).isEqualTo("UNAVAILABLE");
      assertThat(row.getReason()).contains(MODEL);
    });
  }

  // test.sh "LifeCycleTest.test_parse_error_no_model_config" adapted: Triton (strict config) skips
  // a model without config.pbtxt; under auto-complete, as here, a config.pbtxt that does not parse
  // fails that model alone and names the file, and the others serve.
  @Test
  void test_parse_error_bad_model_config() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    writeModel(OTHER, config(OTHER, null), 1);
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"), "max_batch_size: {{ not pbtxt");
    start(RepositoryOptions.loadAllModels());

    assertReady(MODEL, 1, false);
    assertThat(indexRows(MODEL)).singleElement().satisfies(row -> {
      assertThat(row.getState()).isEqualTo("UNAVAILABLE");
      assertThat(row.getReason()).contains(MODEL).contains("config.pbtxt");
    });
    assertReady(OTHER, 1, true);
    assertThat(infer(OTHER, 1).getModelVersion()).isEqualTo("1");
  }

  // test.sh "LifeCycleTest.test_parse_error_model_no_version": a config without any version
  // directory fails that model; the server is live but not ready; the others serve, all versions.
  @Test
  void test_parse_error_model_no_version() throws Exception {
    writeModel(OTHER, config(OTHER, all()), 1, 3);
    Files.createDirectories(repository.resolve(MODEL));
    Files.writeString(repository.resolve(MODEL).resolve("config.pbtxt"),
        TextFormat.printer().printToString(config(MODEL, null)), StandardCharsets.UTF_8);
    start(RepositoryOptions.loadAllModels());

    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
    assertReady(MODEL, null, false);
    assertInferFails(MODEL, null, Status.Code.NOT_FOUND, "'" + MODEL + "' has no available versions");
    assertReady(OTHER, 1, true);
    assertReady(OTHER, 3, true);
    assertThat(infer(OTHER, 3).getModelVersion()).isEqualTo("3");
  }

  // test.sh "LifeCycleTest.test_parse_ignore_zero_prefixed_version" and
  // "test_parse_ignore_non_intergral_version": '01' and '1a' beside '1' are no versions, so only 1
  // loads (the default policy would otherwise pick them as newer) and the server is ready.
  @Test
  void test_parse_ignore_zero_prefixed_and_non_integral_version() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    copyVersion(MODEL, "1", "01");
    copyVersion(MODEL, "1", "1a");
    start(RepositoryOptions.loadAllModels());

    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertReady(MODEL, 1, true);
    assertThat(infer(MODEL, null).getModelVersion()).isEqualTo("1");
    assertThat(indexRows(MODEL)).extracting(ModelIndex::getVersion).containsExactly("1");
  }

  // test_dynamic_model_load_unload_disabled under explicit control: a model copied into the
  // repository is not loaded without a load request, and one deleted from disk keeps serving.
  @Test
  void test_dynamic_model_load_unload_disabled() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 3);
    start(RepositoryOptions.loadOnly(MODEL));

    writeModel(OTHER, config(OTHER, all()), 1, 3);
    assertReady(OTHER, 1, false);
    assertReady(OTHER, 3, false);
    assertInferFails(OTHER, null, null, "'" + OTHER + "'");

    deleteTree(repository.resolve(MODEL));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 3, true);
    assertThat(infer(MODEL, 3).getModelVersion()).isEqualTo("3");
  }

  // test_dynamic_version_load_unload under explicit control: a version directory removed and one
  // added take effect at the next load; the removed version is UNAVAILABLE, the others serve.
  @Test
  void test_dynamic_version_load_unload() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 2, 3);
    start(RepositoryOptions.loadOnly(MODEL));
    for (int version = 1; version <= 3; version++) {
      assertReady(MODEL, version, true);
    }
    assertThat(infer(MODEL, 1).getModelVersion()).isEqualTo("1");

    deleteTree(repository.resolve(MODEL).resolve("1"));
    grpcLoad(MODEL);
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 2, true);
    assertReady(MODEL, 3, true);
    // Triton: "'graphdef_int32_int32_int32' version 1 is not at ready state" (UNAVAILABLE)
    assertInferFails(MODEL, 1, Status.Code.UNAVAILABLE, "'" + MODEL + "' version 1");

    copyVersion(MODEL, "2", "7");
    httpLoad(MODEL, 200);
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 2, true);
    assertReady(MODEL, 3, true);
    assertReady(MODEL, 7, true);
    assertThat(indexRows(MODEL)).extracting(ModelIndex::getVersion, ModelIndex::getState).containsExactly(
        org.assertj.core.groups.Tuple.tuple("1", "UNAVAILABLE"), org.assertj.core.groups.Tuple.tuple("2", "READY"),
        org.assertj.core.groups.Tuple.tuple("3", "READY"), org.assertj.core.groups.Tuple.tuple("7", "READY"));
  }

  // test_dynamic_version_load_unload_disabled under explicit control: without a load request,
  // a new version directory is not loaded and a deleted one keeps serving.
  @Test
  void test_dynamic_version_load_unload_disabled() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 2, 3);
    start(RepositoryOptions.loadOnly(MODEL));

    copyVersion(MODEL, "2", "7");
    deleteTree(repository.resolve(MODEL).resolve("1"));
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 2, true);
    assertReady(MODEL, 3, true);
    assertReady(MODEL, 7, false);
    assertThat(infer(MODEL, 1).getModelVersion()).isEqualTo("1");
  }

  // test_dynamic_model_modify under explicit control: config.pbtxt changed from every version to
  // the default policy, then loaded again: version 1 goes (UNAVAILABLE, unloaded), 3 serves.
  @Test
  void test_dynamic_model_modify() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 3);
    start(RepositoryOptions.loadOnly(MODEL));
    assertThat(infer(MODEL, 1).getModelVersion()).isEqualTo("1");
    assertThat(infer(MODEL, 3).getModelVersion()).isEqualTo("3");

    writeConfig(MODEL, config(MODEL, null));
    grpcLoad(MODEL);

    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 3, true);
    assertInferFails(MODEL, 1, Status.Code.UNAVAILABLE, "'" + MODEL + "' version 1");
    assertThat(infer(MODEL, 3).getModelVersion()).isEqualTo("3");
    assertThat(indexRows(MODEL)).containsExactly(
        row("1", "UNAVAILABLE", "unloaded"), row("3", "READY", ""));
  }

  // test_dynamic_file_delete under explicit control: config.pbtxt deleted, then loaded again: the
  // auto-completed config has the default (latest) policy, so only version 3 serves.
  @Test
  void test_dynamic_file_delete() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 3);
    start(RepositoryOptions.loadOnly(MODEL));
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 3, true);

    Files.delete(repository.resolve(MODEL).resolve("config.pbtxt"));
    httpLoad(MODEL, 200);

    assertReady(MODEL, 1, false);
    assertReady(MODEL, 3, true);
    assertThat(infer(MODEL, 3).getModelVersion()).isEqualTo("3");
    assertInferFails(MODEL, 1, Status.Code.UNAVAILABLE, "'" + MODEL + "' version 1");
  }

  // test_model_control: loading a model the repository does not have fails over both protocols
  // naming it; a config deleted and the model loaded again serves only the latest version.
  // ("Unload non-existing model, nothing should happen": Yardmaster answers NOT_FOUND there, a
  // deliberate difference documented in README.md.)
  @Test
  void test_model_control() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 3);
    start(RepositoryOptions.loadOnly());
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 3, false);

    assertThatThrownBy(() -> grpcLoad("unknown_model")).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getDescription()).contains("unknown_model"));
    HttpResponse<String> unknown = http.post("/v2/repository/models/unknown_model/load", "");
    assertThat(unknown.statusCode()).isBetween(400, 499);
    assertThat(JSON.readTree(unknown.body()).path("error").asText()).contains("unknown_model");

    httpLoad(MODEL, 200);
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 3, true);

    Files.delete(repository.resolve(MODEL).resolve("config.pbtxt"));
    assertReady(MODEL, 1, true); // nothing changes before the load
    grpcLoad(MODEL);
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 3, true);

    assertThat(http.post("/v2/repository/models/" + MODEL + "/unload", "").statusCode()).isEqualTo(200);
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 3, false);
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  // test_model_control_fail: a model that fails to load fails again on the next attempt, and the
  // answer names the model each time.
  @Test
  void test_model_control_fail() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    Files.writeString(repository.resolve(MODEL).resolve("1").resolve("model.onnx"), "not an onnx model");
    start(RepositoryOptions.loadOnly());

    for (int attempt = 0; attempt < 2; attempt++) {
      HttpResponse<String> load = http.post("/v2/repository/models/" + MODEL + "/load", "");
      assertThat(load.statusCode()).as(load.body()).isEqualTo(400);
      assertThat(JSON.readTree(load.body()).path("error").asText()).contains(MODEL);
      assertReady(MODEL, 1, false);
    }
    // An unreadable model file fails while the config is auto-completed and checked against the
    // ONNX graph, before versions open, so the row names the file (1/model.onnx) but carries no
    // version; Triton, whose backend auto-completes per version, lists version 1 UNAVAILABLE.
    assertThat(indexRows(MODEL)).singleElement().satisfies(row -> {
      assertThat(row.getState()).isEqualTo("UNAVAILABLE");
      assertThat(row.getReason()).contains(MODEL).contains("1/model.onnx");
    });
  }

  // test_model_availability_on_reload: a new version added and the model loaded again; version 1
  // answers every request while the load runs, then 2 serves and 1 is gone.
  @Test
  void test_model_availability_on_reload() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    start(RepositoryOptions.loadOnly(MODEL));
    copyVersion(MODEL, "1", "2");

    GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    List<ListenableFuture<ModelInferResponse>> during = new ArrayList<>();
    Thread loader = new Thread(() -> grpcLoad(MODEL));
    loader.start();
    // requests name no version, so the swap from 1 to 2 may land between any two of them; none fails
    while (loader.isAlive() && during.size() < 2000) {
      during.add(async.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request(MODEL, null)));
      Thread.sleep(1);
    }
    loader.join();
    for (ListenableFuture<ModelInferResponse> response : during) {
      assertThat(response.get().getModelVersion()).isIn("1", "2");
    }
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 2, true);
    assertThat(infer(MODEL, null).getModelVersion()).isEqualTo("2");
  }

  // test_model_availability_on_reload_2: config.pbtxt changed to serve version 2 only, loaded again.
  @Test
  void test_model_availability_on_reload_2() throws Exception {
    writeModel(MODEL, config(MODEL, specific(1)), 1, 2);
    start(RepositoryOptions.loadOnly(MODEL));
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 2, false);

    writeConfig(MODEL, config(MODEL, specific(2)));
    grpcLoad(MODEL);

    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertReady(MODEL, 1, false);
    assertReady(MODEL, 2, true);
    assertThat(infer(MODEL, 2).getModelVersion()).isEqualTo("2");
  }

  // test_model_availability_on_reload_3: config.pbtxt changed in a way that keeps version 1; the
  // load reopens it, and it answers every request during and after the load.
  @Test
  void test_model_availability_on_reload_3() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    start(RepositoryOptions.loadOnly(MODEL));

    writeConfig(MODEL, config(MODEL, null).toBuilder().setMaxBatchSize(8).build());
    GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    List<ListenableFuture<ModelInferResponse>> during = new ArrayList<>();
    Thread loader = new Thread(() -> grpcLoad(MODEL));
    loader.start();
    while (loader.isAlive() && during.size() < 2000) {
      during.add(async.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request(MODEL, 1)));
      Thread.sleep(1);
    }
    loader.join();
    for (ListenableFuture<ModelInferResponse> response : during) {
      assertThat(response.get().getModelVersion()).isEqualTo("1");
    }
    assertReady(MODEL, 1, true);
    assertThat(infer(MODEL, 1).getModelVersion()).isEqualTo("1");
  }

  // test_model_reload_fail: config.pbtxt changed to serve only version 2, which fails to open; the
  // load fails naming version 2, version 1 keeps serving, and the server stays ready.
  @Test
  void test_model_reload_fail() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1);
    start(RepositoryOptions.loadOnly(MODEL));

    Files.createDirectories(repository.resolve(MODEL).resolve("2"));
    Files.writeString(repository.resolve(MODEL).resolve("2").resolve("model.onnx"), "not an onnx model");
    writeConfig(MODEL, config(MODEL, specific(2)));
    HttpResponse<String> load = http.post("/v2/repository/models/" + MODEL + "/load", "");

    assertThat(load.statusCode()).as(load.body()).isEqualTo(400);
    // Triton's answer names "version 2"; ours names the version's file (see test_model_control_fail)
    assertThat(JSON.readTree(load.body()).path("error").asText()).contains(MODEL).contains("2/model.onnx");
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertReady(MODEL, 1, true);
    assertReady(MODEL, 2, false);
    assertThat(infer(MODEL, 1).getModelVersion()).isEqualTo("1");
  }

  // test_config_override: the model fails with its own config.pbtxt; a load with a config override
  // serving version 2 only succeeds; a load without it fails again and version 2 stays; an unload
  // leaves no version ready. Run over both protocols, as Triton's loop over its two clients.
  @Test
  void test_config_override() throws Exception {
    writeModel(MODEL, config(MODEL, null), 1, 2, 3);
    // the file's input name matches no input of the ONNX model, so the default config fails
    writeConfig(MODEL, config(MODEL, null).toBuilder().setInput(0,
        config(MODEL, null).getInput(0).toBuilder().setName("INPUT9")).build());
    start(RepositoryOptions.loadOnly());
    String override = "{\"backend\":\"onnxruntime\",\"version_policy\":{\"specific\":{\"versions\":[2]}}}";

    for (boolean grpc : new boolean[] {true, false}) {
      assertLoadFails(grpc, MODEL, null);
      if (grpc) {
        stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL)
            .putParameters("config", ModelRepositoryParameter.newBuilder().setStringParam(override).build()).build());
      } else {
        HttpResponse<String> load = http.post("/v2/repository/models/" + MODEL + "/load",
            JSON.writeValueAsString(java.util.Map.of("parameters", java.util.Map.of("config", override))));
        assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
      }
      assertReady(MODEL, 1, false);
      assertReady(MODEL, 2, true);
      assertReady(MODEL, 3, false);
      assertThat(infer(MODEL, 2).getModelVersion()).isEqualTo("2");

      assertLoadFails(grpc, MODEL, "INPUT9");
      assertReady(MODEL, 1, false);
      assertReady(MODEL, 2, true);
      assertReady(MODEL, 3, false);

      if (grpc) {
        stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build());
      } else {
        assertThat(http.post("/v2/repository/models/" + MODEL + "/unload", "").statusCode()).isEqualTo(200);
      }
      assertReady(MODEL, 1, false);
      assertReady(MODEL, 2, false);
      assertReady(MODEL, 3, false);
    }
  }

  // test_model_repository_index (one repository): with a subset loaded at start, the index lists
  // every model of the repository, the loaded ones READY per version, the others by name only.
  @Test
  void test_model_repository_index() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1, 3);
    writeModel(OTHER, config(OTHER, null), 1);
    start(RepositoryOptions.loadOnly(MODEL));

    assertThat(stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList()).containsExactly(
        ModelIndex.newBuilder().setName(MODEL).setVersion("1").setState("READY").build(),
        ModelIndex.newBuilder().setName(MODEL).setVersion("3").setState("READY").build(),
        ModelIndex.newBuilder().setName(OTHER).build());
    assertThat(JSON.readTree(http.post("/v2/repository/index", "{}").body())).isEqualTo(JSON.readTree(
        "[{\"name\":\"" + MODEL + "\",\"version\":\"1\",\"state\":\"READY\"},"
            + "{\"name\":\"" + MODEL + "\",\"version\":\"3\",\"state\":\"READY\"},{\"name\":\"" + OTHER + "\"}]"));
  }

  // Unload while requests are in flight (Triton's model_lifecycle: an unload lets the requests
  // already accepted finish): every request sent before the unload is answered with a result or
  // refused as UNAVAILABLE, never lost or failed otherwise; then the model is UNAVAILABLE unloaded.
  @Test
  void test_model_unload_with_requests_in_flight() throws Exception {
    writeModel(MODEL, config(MODEL, all()), 1);
    start(RepositoryOptions.loadOnly(MODEL));

    GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
    List<ListenableFuture<ModelInferResponse>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(async.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request(MODEL, 1)));
    }
    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build());

    for (ListenableFuture<ModelInferResponse> response : sent) {
      try {
        assertThat(response.get().getModelVersion()).isEqualTo("1");
      } catch (ExecutionException e) {
        assertThat(Status.fromThrowable(e.getCause()).getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.NOT_FOUND);
      }
    }
    assertReady(MODEL, 1, false);
    assertThat(indexRows(MODEL)).containsExactly(row("1", "UNAVAILABLE", "unloaded"));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  private void start(RepositoryOptions options) {
    serve(AddSubRepository.serve(repository, options));
  }

  private static ModelConfig config(String name, ModelVersionPolicy policy) {
    ModelConfig.Builder config = DemoModels.config(AddSubRepository.MODEL, false).toBuilder().setName(name);
    if (policy != null) {
      config.setVersionPolicy(policy);
    }
    return config.build();
  }

  private static ModelVersionPolicy all() {
    return ModelVersionPolicy.newBuilder().setAll(ModelVersionPolicy.All.getDefaultInstance()).build();
  }

  private static ModelVersionPolicy specific(long version) {
    return ModelVersionPolicy.newBuilder().setSpecific(ModelVersionPolicy.Specific.newBuilder().addVersions(version))
        .build();
  }

  private void writeModel(String name, ModelConfig config, int... versions) throws IOException {
    AddSubRepository.writeModel(repository, name, config);
    for (int version : versions) {
      if (version != 1) {
        copyVersion(name, "1", Integer.toString(version));
      }
    }
    if (java.util.Arrays.stream(versions).noneMatch(version -> version == 1)) {
      deleteTree(repository.resolve(name).resolve("1"));
    }
  }

  private void writeConfig(String name, ModelConfig config) throws IOException {
    Files.writeString(repository.resolve(name).resolve("config.pbtxt"), TextFormat.printer().printToString(config),
        StandardCharsets.UTF_8);
  }

  private void copyVersion(String name, String from, String to) throws IOException {
    Path target = repository.resolve(name).resolve(to);
    Files.createDirectories(target);
    Files.copy(repository.resolve(name).resolve(from).resolve("model.onnx"), target.resolve("model.onnx"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private void grpcLoad(String name) {
    stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(name).build());
  }

  private void httpLoad(String name, int expectedStatus) throws Exception {
    HttpResponse<String> load = http.post("/v2/repository/models/" + name + "/load", "");
    assertThat(load.statusCode()).as(load.body()).isEqualTo(expectedStatus);
  }

  private void assertLoadFails(boolean grpc, String name, String mentions) throws Exception {
    String message;
    if (grpc) {
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> grpcLoad(name));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      message = e.getStatus().getDescription();
    } else {
      HttpResponse<String> load = http.post("/v2/repository/models/" + name + "/load", "");
      assertThat(load.statusCode()).as(load.body()).isEqualTo(400);
      message = JSON.readTree(load.body()).path("error").asText();
    }
    assertThat(message).contains("'" + name + "'");
    if (mentions != null) {
      assertThat(message).contains(mentions);
    }
  }

  /** Ready over gRPC and HTTP, which must agree; {@code version} null asks for the model. */
  private void assertReady(String name, Integer version, boolean ready) throws Exception {
    ModelReadyRequest.Builder request = ModelReadyRequest.newBuilder().setName(name);
    String path = "/v2/models/" + name;
    if (version != null) {
      request.setVersion(version.toString());
      path += "/versions/" + version;
    }
    assertThat(stub.modelReady(request.build()).getReady()).as("gRPC ready %s/%s", name, version).isEqualTo(ready);
    HttpResponse<String> answer = http.get(path + "/ready");
    assertThat(answer.statusCode()).as("HTTP ready %s/%s: %s", name, version, answer.body())
        .isEqualTo(ready ? 200 : 400);
  }

  private static ModelInferRequest request(String name, Integer version) {
    ModelInferRequest.Builder request = AddSubRepository.request(1).toBuilder().setModelName(name);
    if (version != null) {
      request.setModelVersion(version.toString());
    }
    return request.build();
  }

  private ModelInferResponse infer(String name, Integer version) {
    return stub.modelInfer(request(name, version));
  }

  private void assertInferFails(String name, Integer version, Status.Code code, String mentions) {
    assertThatThrownBy(() -> infer(name, version)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      if (code != null) {
        assertThat(e.getStatus().getCode()).isEqualTo(code);
      } else {
        assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.NOT_FOUND);
      }
      assertThat(e.getStatus().getDescription()).contains(mentions);
    });
  }

  private List<ModelIndex> indexRows(String name) {
    return stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
        .filter(row -> row.getName().equals(name)).toList();
  }

  private static ModelIndex row(String version, String state, String reason) {
    return ModelIndex.newBuilder().setName(MODEL).setVersion(version).setState(state).setReason(reason).build();
  }
}
