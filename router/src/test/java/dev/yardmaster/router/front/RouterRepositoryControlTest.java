package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelReadyRequest;
import dev.yardmaster.protocol.v2.RepositoryModelLoadRequest;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.router.local.HiggsRepository;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.RepositoryServers;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC, a router (auth on) over two pools of one backend each: RepositoryModelUnload and
 * RepositoryModelLoad reach every endpoint, a down endpoint fails the call naming it, and only
 * admin tokens may load or unload.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RouterRepositoryControlTest {

  private static final String MODEL = HiggsRepository.MODEL;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir Path dir;
  private YardmasterServer first;
  private YardmasterServer second;
  private RouterFixture router;

  @BeforeEach
  void start() throws Exception {
    Path repository = HiggsRepository.write(dir.resolve("models"));
    first = backend(repository);
    second = backend(repository);
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/tokens"), "caller-token-1\n");
    Files.writeString(dir.resolve("secrets/admin-tokens"), "admin-token-1\n");
    router = RouterFixture.start(dir, """
        server: {grpc_port: 0, metrics_port: 0}
        auth: {tokens_file: secrets/tokens, admin_tokens_file: secrets/admin-tokens}
        pools:
          - {name: cheap, accelerator: cpu, price_per_hour: 0.05, endpoints: ["127.0.0.1:%d"],
             health_check: {interval_ms: 50, models: [%s]}}
          - {name: fast, accelerator: gpu, price_per_hour: 1.0, endpoints: ["127.0.0.1:%d"],
             health_check: {interval_ms: 50, models: [%s]}}
        """.formatted(first.grpcPort(), MODEL, second.grpcPort(), MODEL));
  }

  @AfterEach
  void stop() {
    router.close();
    first.stop();
    second.stop();
  }

  @Test
  void unloadAndLoadReachEveryEndpoint() throws Exception {
    assertThat(ready(first)).isTrue();
    assertThat(ready(second)).isTrue();

    stub("admin-token-1").repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build());
    assertThat(ready(first)).isFalse();
    assertThat(ready(second)).isFalse();

    stub("admin-token-1").repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build());
    assertThat(ready(first)).isTrue();
    assertThat(ready(second)).isTrue();
  }

  @Test
  void aDownEndpointFailsTheCallNamingIt() {
    int downPort = second.grpcPort();
    second.stop();
    assertThatThrownBy(() -> stub("admin-token-1").repositoryModelUnload(
        RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("RepositoryModelUnload '" + MODEL + "'",
              "failed on 1 of 2 endpoints", "fast/127.0.0.1:" + downPort + ": UNAVAILABLE")
              .doesNotContain("cheap/");
        });
    assertThat(ready(first)).isFalse(); // the reachable endpoint did unload
  }

  @Test
  void onlyAdminsLoadOrUnload() {
    assertThatThrownBy(() -> stub("caller-token-1").repositoryModelUnload(
        RepositoryModelUnloadRequest.newBuilder().setModelName(MODEL).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("RepositoryModelUnload", "admin token");
        });
    assertThatThrownBy(() -> stub("caller-token-1").repositoryModelLoad(
        RepositoryModelLoadRequest.newBuilder().setModelName(MODEL).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    assertThat(ready(first)).isTrue();
    assertThat(ready(second)).isTrue();
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertThatThrownBy(() -> stub("admin-token-1").repositoryModelLoad(
        RepositoryModelLoadRequest.newBuilder().setModelName("nope").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("'nope'", MODEL);
        });
  }

  private GRPCInferenceServiceBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return router.stub(headers);
  }

  /** Asks the backend itself, not the router. */
  private static boolean ready(YardmasterServer backend) {
    ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", backend.grpcPort()).usePlaintext().build();
    try {
      return GRPCInferenceServiceGrpc.newBlockingStub(direct).withDeadlineAfter(10, TimeUnit.SECONDS)
          .modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady();
    } finally {
      direct.shutdownNow();
    }
  }

  private static YardmasterServer backend(Path repository) {
    return RepositoryServers.serveAll(repository);
  }
}
