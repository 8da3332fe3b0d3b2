package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.RepositoryModelUnloadRequest;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model unloaded on one real backend: the backend answers NOT_FOUND "has no available versions", as
 * Triton does, which the router retries on another endpoint and never counts against the backend, so
 * asking for it again and again (more often than consecutive_failures) ejects nothing and other models
 * keep being served. An unloaded version (UNAVAILABLE "is not ready") is retried the same way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelNotReadyTest {

  @TempDir Path repository;
  final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void modelUnloadedOnOneEndpointIsServedByTheOtherAndEjectsNothing() throws Exception {
    List<YardmasterServer> backends = backends(2);
    unload(backends.get(0), DemoModels.HIGGS_MLP_V1);
    RouterServer server = route(backends);
    Pool pool = server.pools().get("cpu");
    var router = PoolTestSupport.blocking(channelTo(server));

    for (int i = 0; i < 20; i++) {
      assertThat(router.modelInfer(PoolTestSupport.higgsRequest(i)).getOutputsCount()).isEqualTo(1);
      assertThat(router.modelInfer(PoolTestSupport.higgsRequest(i).toBuilder().setModelVersion("1").build())
          .getOutputsCount()).as("version 1 asked for").isEqualTo(1);
    }

    assertThat(pool.endpoints()).extracting(Endpoint::state).containsOnly(EndpointState.HEALTHY);
    assertThat(pool.outliers().enforced()).isZero();
    assertThat(pool.metrics().retries().count()).as("not-ready answers retried elsewhere").isPositive();
  }

  @Test
  void modelUnloadedEverywhereIsNotFoundSayingSoAndTheEndpointKeepsServing() throws Exception {
    List<YardmasterServer> backends = backends(1);
    unload(backends.get(0), DemoModels.HIGGS_MLP_V1);
    RouterServer server = route(backends);
    Pool pool = server.pools().get("cpu");
    var router = PoolTestSupport.blocking(channelTo(server));

    for (int i = 0; i < 6; i++) { // twice consecutive_failures
      StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
          () -> router.modelInfer(PoolTestSupport.higgsRequest(0)));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(refused.getStatus().getDescription())
          .contains("model '" + DemoModels.HIGGS_MLP_V1 + "' has no available versions: unloaded");
    }

    assertThat(pool.endpoints().get(0).state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(router.modelInfer(PoolTestSupport.higgsRequest(0).toBuilder()
        .setModelName(DemoModels.HIGGS_MLP_V2).build()).getOutputsCount()).isEqualTo(1);
  }

  private List<YardmasterServer> backends(int count) throws Exception {
    PoolTestSupport.writeDemoRepository(repository);
    List<YardmasterServer> backends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      YardmasterServer backend = PoolTestSupport.demoBackend(repository);
      closing.add(backend::stop);
      backends.add(backend);
    }
    return backends;
  }

  private void unload(YardmasterServer backend, String model) {
    ManagedChannel channel = PoolTestSupport.channel(backend.grpcPort());
    closing.add(channel::shutdownNow);
    PoolTestSupport.blocking(channel)
        .repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName(model).build());
  }

  /** A router over one pool, "cpu", of {@code backends}, once they are healthy. */
  private RouterServer route(List<YardmasterServer> backends) throws InterruptedException {
    List<String> endpoints = backends.stream().map(b -> "127.0.0.1:" + b.grpcPort()).toList();
    RouterServer router = PoolTestSupport.startRouter(PoolTestSupport.pool("cpu", endpoints));
    closing.add(router::stop);
    return router;
  }

  private ManagedChannel channelTo(RouterServer router) {
    ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
    closing.add(channel::shutdownNow);
    return channel;
  }
}
