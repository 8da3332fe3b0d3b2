package dev.yardmaster.router.server;

import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ported Triton request tests' server: {@link TritonRequests#writeModels} served on port 0 for
 * the whole test class, and a plaintext gRPC channel to it.
 */
abstract class ServedTritonModels {

  @TempDir static Path repository;
  static YardmasterServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void startServer() throws Exception {
    TritonRequests.writeModels(repository);
    server = RepositoryServers.serveAll(repository);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.stop();
  }
}
