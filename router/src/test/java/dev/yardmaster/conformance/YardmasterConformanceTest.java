package dev.yardmaster.conformance;

import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.RepositoryServers;
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
    server = RepositoryServers.serveAll(repository);
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
