package dev.yardmaster.router.testsupport;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import dev.yardmaster.router.server.YardmasterServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Started servers of a model repository on real ONNX Runtime: ports picked, no drain on stop. */
public final class RepositoryServers {

  private RepositoryServers() {}

  /** Writes the demo models and the identity model of each datatype to {@code repository} and serves them. */
  public static YardmasterServer serveDemoAndIdentityModels(Path repository) throws IOException {
    DemoModels.writeRepository(repository, true);
    DemoModels.writeIdentityRepository(repository);
    return serveAll(repository);
  }

  /** Every model of {@code repository}, loaded at start. */
  public static YardmasterServer serveAll(Path repository) {
    return serve(repository, RepositoryOptions.loadAllModels());
  }

  /** The models {@code options} name, loaded at start. */
  public static YardmasterServer serve(Path repository, RepositoryOptions options) {
    return builder(repository, options).build().start();
  }

  /** Every model of {@code repository}, with HTTP bodies and gRPC messages of at most {@code maxMessageBytes}. */
  public static YardmasterServer serveAll(Path repository, int maxMessageBytes) {
    return builder(repository, RepositoryOptions.loadAllModels()).maxMessageBytes(maxMessageBytes).build().start();
  }

  /** A server of {@code manager}'s models (runners of the test's own, say), started. */
  public static YardmasterServer start(ModelManager manager) {
    return builder(manager).build().start();
  }

  private static YardmasterServer.Builder builder(Path repository, RepositoryOptions options) {
    return builder(new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(), Schedulers.factory(),
        options));
  }

  private static YardmasterServer.Builder builder(ModelManager manager) {
    return YardmasterServer.builder(manager).httpPort(0).grpcPort(0).metricsPort(0).drainTimeout(Duration.ZERO);
  }
}
