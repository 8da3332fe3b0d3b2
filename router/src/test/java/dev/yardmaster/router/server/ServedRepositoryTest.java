package dev.yardmaster.router.server;

import dev.yardmaster.router.testsupport.RepositoryServers;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class's model repository served on port 0 for the whole class, with a plaintext gRPC
 * channel to it: the subclass's {@code @BeforeAll} writes its models to {@link #repository}, then
 * calls {@link #serve()}; both are stopped after the class.
 */
abstract class ServedRepositoryTest {

  @TempDir static Path repository;
  static YardmasterServer server;
  static ManagedChannel channel;

  /** Serves every model of {@link #repository}. */
  static void serve() {
    serve(repository);
  }

  /** Serves every model of {@code models}, a repository of the test's own making. */
  static void serve(Path models) {
    server = RepositoryServers.serveAll(models);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  /**
   * Serves every model of {@link #repository} with gRPC messages and HTTP bodies of at most {@code
   * maxMessageBytes}; the channel takes answers of up to twice that.
   */
  static void serve(int maxMessageBytes) {
    server = RepositoryServers.serveAll(repository, maxMessageBytes);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
        .maxInboundMessageSize(2 * maxMessageBytes).build();
  }

  @AfterAll
  static void stopServer() {
    channel.shutdownNow();
    server.stop();
  }
}
