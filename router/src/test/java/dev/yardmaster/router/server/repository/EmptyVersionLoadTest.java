package dev.yardmaster.router.server.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexRequest;
import dev.yardmaster.protocol.v2.RepositoryIndexResponse.ModelIndex;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real gRPC, HTTP and ONNX Runtime: a version directory without its model file is picked by
 * the version policy, as in Triton, and its failure names the missing file in the load answer,
 * the ready answer and the repository index; a model already serving keeps its version.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmptyVersionLoadTest extends RepositoryServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();


  @BeforeEach
  void start() throws Exception {
    serve(AddSubRepository.serve(AddSubRepository.write(repository)));
  }

  @Test
  void httpLoadOfAModelWhoseLatestVersionIsEmptyIs400NamingTheFile() throws Exception {
    Files.createDirectories(repository.resolve(AddSubRepository.SPARE).resolve("2"));
    String reason = missing(AddSubRepository.SPARE, 2);

    HttpResponse<String> load = http.post("/v2/repository/models/spare/load", "");

    assertThat(load.statusCode()).as(load.body()).isEqualTo(400);
    assertThat(JSON.readTree(load.body()).path("error").asText()).isEqualTo(reason);
    HttpResponse<String> ready = http.get("/v2/models/spare/ready");
    assertThat(ready.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(ready.body()).path("error").asText()).isEqualTo("model 'spare' has no available versions: " + reason);
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(AddSubRepository.SPARE).build()).getReady())
        .isFalse();
    assertThat(index(AddSubRepository.SPARE)).containsExactly(row(AddSubRepository.SPARE, "2", reason));
  }

  @Test
  void grpcReloadOfAServingModelAfterAnEmptyVersionAppearsKeepsTheOldVersion() throws Exception {
    Files.createDirectories(repository.resolve(AddSubRepository.MODEL).resolve("2"));
    String reason = missing(AddSubRepository.MODEL, 2);

    assertThatThrownBy(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
        .setModelName(AddSubRepository.MODEL).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo(reason);
        });

    assertThat(stub.modelInfer(AddSubRepository.request(1)).getModelVersion()).isEqualTo("1");
    assertThat(http.get("/v2/models/add_sub/ready").statusCode()).isEqualTo(200);
    assertThat(index(AddSubRepository.MODEL)).containsExactly(
        ModelIndex.newBuilder().setName(AddSubRepository.MODEL).setVersion("1").setState("READY").build(),
        row(AddSubRepository.MODEL, "2", reason));
  }

  private String missing(String model, long version) {
    return "model '" + model + "' version " + version + ": model file '"
        + repository.resolve(model).resolve(Long.toString(version)).resolve("model.onnx") + "' not found (expected: "
        + "the version's ONNX model, named by default_model_filename, model.onnx when the config sets none)";
  }

  private List<ModelIndex> index(String model) {
    return stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
        .filter(row -> row.getName().equals(model)).toList();
  }

  private static ModelIndex row(String name, String version, String reason) {
    return ModelIndex.newBuilder().setName(name).setVersion(version).setState("UNAVAILABLE").setReason(reason).build();
  }
}
