package dev.yardmaster.conformance;

import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.router.server.YardmasterServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The conformance checks against Yardmaster serving the generated demo repository on real ONNX Runtime. */
class YardmasterConformanceTest extends KServeConformanceChecks {
  @TempDir static Path repository;
  static YardmasterServer server;

  @BeforeAll
  static void start() throws Exception {
    DemoModels.writeRepository(repository, true);
    RepositoryModelManager manager = new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(),
        Schedulers.factory(), RepositoryOptions.loadAllModels());
    server = YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Override
  String grpcTarget() {
    return "127.0.0.1:" + server.grpcPort();
  }

  @Override
  String httpBase() {
    return "http://127.0.0.1:" + server.httpPort();
  }
}
