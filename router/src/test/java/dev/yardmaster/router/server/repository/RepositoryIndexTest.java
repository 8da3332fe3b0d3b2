package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real gRPC, HTTP and ONNX Runtime: the repository index lists what Triton's does. A model
 * never loaded by name only, a loaded one per version with its state, an unloaded one per version
 * as UNAVAILABLE {@code unloaded}, a failed one per version with its reason; {@code ready: true}
 * keeps the READY rows; HTTP omits empty fields, as Triton's JSON.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RepositoryIndexTest extends RepositoryServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BROKEN = "broken";


  @BeforeEach
  void start() throws Exception {
    AddSubRepository.write(repository);
    // version 2 is a good model (auto-complete reads it), version 1 is not an ONNX file at all
    AddSubRepository.writeModel(repository, BROKEN, DemoModels.config(AddSubRepository.MODEL, true).toBuilder()
        .setName(BROKEN).setVersionPolicy(ModelVersionPolicy.newBuilder()
            .setAll(ModelVersionPolicy.All.getDefaultInstance())).build());
    Files.move(repository.resolve(BROKEN).resolve("1"), repository.resolve(BROKEN).resolve("2"));
    Files.createDirectories(repository.resolve(BROKEN).resolve("1"));
    Files.writeString(repository.resolve(BROKEN).resolve("1").resolve("model.onnx"), "not an onnx model");
    serve(AddSubRepository.serve(repository));
  }

  @Test
  void modelsNeverLoadedAreListedByNameOnlyAndLoadedOnesPerVersion() throws Exception {
    assertThat(grpcIndex(false)).containsExactly(
        row(AddSubRepository.MODEL, "1", "READY", ""),
        row(BROKEN, "", "", ""),
        row(AddSubRepository.SPARE, "", "", ""));
    assertThat(httpIndex("")).isEqualTo(JSON.readTree("""
        [{"name":"add_sub","version":"1","state":"READY"},{"name":"broken"},{"name":"spare"}]"""));

    assertThat(grpcIndex(true)).containsExactly(row(AddSubRepository.MODEL, "1", "READY", ""));
    assertThat(httpIndex("{\"ready\":true}")).isEqualTo(JSON.readTree("""
        [{"name":"add_sub","version":"1","state":"READY"}]"""));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
        .as("models never asked to load do not hold the server back").isTrue();
  }

  @Test
  void unloadedModelKeepsARowPerVersionUnavailableAsUnloaded() throws Exception {
    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(AddSubRepository.MODEL).build());

    assertThat(grpcIndex(false)).first().isEqualTo(row(AddSubRepository.MODEL, "1", "UNAVAILABLE", "unloaded"));
    assertThat(httpIndex("").get(0)).isEqualTo(JSON.readTree("""
        {"name":"add_sub","version":"1","state":"UNAVAILABLE","reason":"unloaded"}"""));
    assertThat(grpcIndex(true)).isEmpty();
    assertThat(httpIndex("{\"ready\":true}")).isEmpty();
  }

  @Test
  void failedLoadShowsEachVersionsReason() throws Exception {
    assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(BROKEN)
        .build())).isInstanceOf(StatusRuntimeException.class).hasMessageContaining("model 'broken' version 1");

    List<ModelIndex> broken = grpcIndex(false).stream().filter(model -> model.getName().equals(BROKEN)).toList();
    assertThat(broken).extracting(ModelIndex::getVersion).containsExactly("1", "2");
    assertThat(broken.get(0).getState()).isEqualTo("UNAVAILABLE");
    assertThat(broken.get(0).getReason()).startsWith("model 'broken' version 1 failed to open: ");
    assertThat(broken.get(1)).isEqualTo(row(BROKEN, "2", "UNAVAILABLE", "unloaded"));
    JsonNode http = httpIndex("").get(1);
    assertThat(http.get("name").asText()).isEqualTo(BROKEN);
    assertThat(http.get("version").asText()).isEqualTo("1");
    assertThat(http.get("state").asText()).isEqualTo("UNAVAILABLE");
    assertThat(http.get("reason").asText()).isEqualTo(broken.get(0).getReason());
    assertThat(grpcIndex(true)).extracting(ModelIndex::getName).containsExactly(AddSubRepository.MODEL);
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();

    stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(BROKEN).build());
    assertThat(grpcIndex(false).stream().filter(model -> model.getName().equals(BROKEN)))
        .containsExactly(row(BROKEN, "1", "UNAVAILABLE", "unloaded"), row(BROKEN, "2", "UNAVAILABLE", "unloaded"));
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
  }

  private List<ModelIndex> grpcIndex(boolean ready) {
    return stub.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(ready).build()).getModelsList();
  }

  private JsonNode httpIndex(String body) throws Exception {
    HttpResponse<String> response = http.post("/v2/repository/index", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static ModelIndex row(String name, String version, String state, String reason) {
    return ModelIndex.newBuilder().setName(name).setVersion(version).setState(state).setReason(reason).build();
  }
}
