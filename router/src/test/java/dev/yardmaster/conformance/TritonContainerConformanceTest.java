package dev.yardmaster.conformance;

import dev.yardmaster.backend.onnx.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The conformance checks against the real Triton server image serving the same generated model
 * repository: the proof that Yardmaster's wire protocol is Triton's. Skipped when Docker is absent.
 */
@Testcontainers(disabledWithoutDocker = true)
class TritonContainerConformanceTest extends KServeConformanceChecks {
  static final DockerImageName TRITON = DockerImageName.parse("nvcr.io/nvidia/tritonserver:24.10-py3");

  static GenericContainer<?> triton;
  static Path repository;

  @BeforeAll
  @SuppressWarnings("resource")
  static void startTriton() throws Exception {
    repository = Files.createTempDirectory("triton-repo");
    DemoModels.writeRepository(repository, true);
    triton = new GenericContainer<>(TRITON)
        .withFileSystemBind(repository.toString(), "/models", BindMode.READ_ONLY)
        .withCommand("tritonserver", "--model-repository=/models", "--exit-on-error=false")
        .withExposedPorts(8000, 8001, 8002)
        .waitingFor(Wait.forHttp("/v2/health/ready").forPort(8000).withStartupTimeout(Duration.ofMinutes(5)));
    triton.start();
  }

  @AfterAll
  static void stopTriton() {
    if (triton != null) {
      triton.stop();
    }
  }

  @Override
  String grpcTarget() {
    return triton.getHost() + ":" + triton.getMappedPort(8001);
  }

  @Override
  String httpBase() {
    return "http://" + triton.getHost() + ":" + triton.getMappedPort(8000);
  }
}
