package dev.yardmaster.router.server;

import static dev.yardmaster.router.server.GatedRunners.WAIT;
import static dev.yardmaster.router.server.GatedRunners.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.InferStatistics;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.protocol.v2.ModelStatistics;
import dev.yardmaster.protocol.v2.ModelStatisticsRequest;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A model repository served on port 0 by ONNX Runtime runners that {@link GatedRunners} holds, with
 * a plaintext gRPC channel to it: what Triton's cancellation tests get from a model that takes
 * seconds to execute. One model instance is held busy by a request while others queue behind it,
 * and the server's counts of queued and in-flight requests show what it still holds.
 */
final class GatedServer implements AutoCloseable {

  final GatedRunners runners = new GatedRunners();
  final RepositoryModelManager manager;
  final YardmasterServer server;
  final ManagedChannel channel;

  /** Serves every model of {@code repository}; a stop does not wait for accepted inferences. */
  GatedServer(Path repository) {
    manager = new RepositoryModelManager(repository, runners, Schedulers.factory(), RepositoryOptions.loadAllModels());
    server = RepositoryServers.start(manager);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  /** Writes {@code type}'s identity model ([-1,-1], no batching, one instance) as {@code model} and serves it. */
  static GatedServer identity(Path repository, String model, DataType type) throws IOException {
    TritonRequests.write(repository, model, DemoModels.identityModelName(type),
        DemoModels.identityConfig(type).toBuilder().setName(model).build());
    return new GatedServer(repository);
  }

  /** Closes the run gate and sends {@code busy}; returns once it executes, holding the model's one instance. */
  ListenableFuture<ModelInferResponse> holdInstance(ModelInferRequest busy) throws InterruptedException {
    runners.close();
    int started = runners.started.get();
    ListenableFuture<ModelInferResponse> answer = GRPCInferenceServiceGrpc.newFutureStub(channel).modelInfer(busy);
    await("the instance busy", () -> runners.started.get() == started + 1);
    return answer;
  }

  /** Opens the gate: the request holding the instance is answered, then the queue runs. */
  ModelInferResponse releaseInstance(ListenableFuture<ModelInferResponse> busy) throws Exception {
    runners.open();
    return busy.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Returns once the server has read everything sent on the connection so far: HTTP/2 frames are
   * read in order, so a reset sent before this ServerLive was handled before it is answered.
   */
  void barrier() {
    assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel).serverLive(ServerLiveRequest.getDefaultInstance())
        .getLive()).isTrue();
  }

  /** Requests of the model's ready version waiting to execute. */
  int queued(String model) {
    return served(model).queuedRequests();
  }

  /**
   * Waits until nothing of {@code model} is left: no request queued or in flight in its scheduler,
   * and no inference in flight in the server (what a graceful stop would wait for).
   */
  void awaitNothingHeld(String model) throws InterruptedException {
    ServedModel served = served(model);
    await("nothing of " + model + " held", () -> served.queuedRequests() == 0 && served.inFlightRequests() == 0
        && server.inFlight() == 0);
  }

  /** The model's statistics once {@code failures} requests failed; those dropped from the queue fail when it runs. */
  InferStatistics awaitFailures(String model, long failures) throws InterruptedException {
    await(failures + " failed in the statistics", () -> statistics(model).getFail().getCount() >= failures);
    InferStatistics stats = statistics(model);
    assertThat(stats.getFail().getCount()).isEqualTo(failures);
    return stats;
  }

  InferStatistics statistics(String model) {
    return modelStatistics(model).getInferenceStats();
  }

  long executions(String model) {
    return modelStatistics(model).getExecutionCount();
  }

  private ModelStatistics modelStatistics(String model) {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .modelStatistics(ModelStatisticsRequest.newBuilder().setName(model).build()).getModelStats(0);
  }

  private ServedModel served(String model) {
    return manager.resolve(model, "");
  }

  @Override
  public void close() {
    runners.open();
    runners.openLoads();
    channel.shutdownNow();
    server.stop();
  }
}
