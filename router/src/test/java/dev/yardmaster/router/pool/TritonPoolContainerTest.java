package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.HealthCheckConfig;
import dev.yardmaster.router.front.RouterServer;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The real Triton image as a pool endpoint: health checks (ServerReady, ModelReady) pass and
 * inferences are forwarded through the router unchanged. Skipped when Docker is absent.
 */
@Testcontainers(disabledWithoutDocker = true)
class TritonPoolContainerTest {
  static final DockerImageName TRITON = DockerImageName.parse("nvcr.io/nvidia/tritonserver:24.10-py3");

  @Test
  @SuppressWarnings("resource")
  void routerForwardsToTritonAsAPoolEndpoint() throws Exception {
    Path repository = Files.createTempDirectory("triton-pool-repo");
    DemoModels.writeRepository(repository, true);
    try (GenericContainer<?> triton = new GenericContainer<>(TRITON)
        .withFileSystemBind(repository.toString(), "/models", BindMode.READ_ONLY)
        .withCommand("tritonserver", "--model-repository=/models", "--exit-on-error=false")
        .withExposedPorts(8000, 8001, 8002)
        .waitingFor(Wait.forHttp("/v2/health/ready").forPort(8000).withStartupTimeout(Duration.ofMinutes(5)))) {
      triton.start();
      String endpoint = triton.getHost() + ":" + triton.getMappedPort(8001);
      RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("gpu", List.of(endpoint))
              .withHealthCheck(new HealthCheckConfig(200, 2000, 1, 3, List.of(DemoModels.HIGGS_MLP_V1)))),
          null, new SimpleMeterRegistry(), 1000);
      ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
      try {
        Pool pool = router.pools().get("gpu");
        PoolTestSupport.await("triton healthy", Duration.ofSeconds(30), () -> pool.healthyEndpoints() == 1);
        ModelInferResponse response = PoolTestSupport.blocking(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .modelInfer(PoolTestSupport.higgsRequest(3));
        assertThat(response.getModelName()).isEqualTo(DemoModels.HIGGS_MLP_V1);
        assertThat(response.getRawOutputContents(0).size()).isEqualTo(4);
      } finally {
        channel.shutdownNow();
        router.stop();
      }
    }
  }
}
