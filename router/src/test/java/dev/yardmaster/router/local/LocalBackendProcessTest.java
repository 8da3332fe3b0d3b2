package dev.yardmaster.router.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.protocol.v2.ModelConfigRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: started, ready, answering over gRPC, stopped and gone. */
@Timeout(120)
class LocalBackendProcessTest {

  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path repository;

  @Test
  void anEmulatedGpuBackendStartsAnswersAndIsGoneAfterStop() throws Exception {
    HiggsRepository.write(repository);
    LocalBackendProcess backend =
        LocalBackendProcess.start(LocalBackend.emulated("gpu-a10g-0", repository, "gpu-a10g"), START_TIMEOUT);
    ProcessHandle handle = backend.handle();
    int exitCode;
    try {
      assertThat(backend.startupLine()).contains("backend-only, emulated gpu-a10g");
      assertThat(backend.grpcPort()).isPositive();
      ManagedChannel channel = ManagedChannelBuilder.forTarget(backend.grpcAddress()).usePlaintext().build();
      try {
        GRPCInferenceServiceBlockingStub stub =
            GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();

        float[] features = HiggsRepository.features(1);
        ModelInferResponse response = stub.modelInfer(HiggsRepository.request(features, 1));
        assertThat(HiggsRepository.outputs(response)[0])
            .isCloseTo(HiggsRepository.MLP.forward(features)[0], within(1e-4f));
        assertThat(stub.modelConfig(ModelConfigRequest.newBuilder().setName(HiggsRepository.MODEL).build())
            .getConfig().getParametersMap().get("emulated").getStringValue()).isEqualTo("gpu-a10g");
      } finally {
        channel.shutdownNow();
      }
    } finally {
      exitCode = backend.stop();
    }
    assertThat(backend.isAlive()).isFalse();
    assertThat(handle.isAlive()).as("no process left behind").isFalse();
    assertThat(exitCode).as("ended by SIGTERM (143), not killed (137)").isEqualTo(143);
  }

  @Test
  void aFleetStartsItsBackendsTogetherAndStopsThemAll() throws Exception {
    HiggsRepository.write(repository);
    List<LocalBackend> backends = List.of(LocalBackend.cpu("cpu-0", repository),
        LocalBackend.emulated("inf2-0", repository, "inf2"));
    List<ProcessHandle> handles;
    try (LocalBackendFleet fleet = LocalBackendFleet.start(backends, START_TIMEOUT)) {
      handles = fleet.processes().stream().map(LocalBackendProcess::handle).toList();
      assertThat(fleet.get("cpu-0").startupLine()).contains("(backend-only)");
      assertThat(fleet.get("inf2-0").startupLine()).contains("emulated inf2");
      assertThat(fleet.processes()).extracting(LocalBackendProcess::grpcPort).doesNotHaveDuplicates();
    }
    assertThat(handles).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void aBackendThatCannotStartFailsFastWithItsOutput() {
    LocalBackend broken = LocalBackend.cpu("broken-0", repository.resolve("missing"));

    assertThatThrownBy(() -> LocalBackendProcess.start(broken, START_TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("local backend broken-0")
        .hasMessageContaining("--model-repository");
  }
}
