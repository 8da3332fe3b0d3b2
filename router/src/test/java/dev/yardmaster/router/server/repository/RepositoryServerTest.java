package dev.yardmaster.router.server.repository;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.yardmaster.router.server.YardmasterServer;
import dev.yardmaster.router.testsupport.LocalHttp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test's repository server and its clients, one server per test: the test writes its models to
 * {@link #repository} and passes the started server to {@link #serve}; it is stopped after the test.
 */
abstract class RepositoryServerTest {

  @TempDir Path repository;
  @Nullable YardmasterServer server;
  @Nullable ManagedChannel channel;
  /** Blocking gRPC calls with a 60 s deadline (a shared, loaded machine). */
  GRPCInferenceServiceBlockingStub stub;
  LocalHttp http;

  /** Takes {@code started} as the test's server and opens the clients to it. */
  void serve(YardmasterServer started) {
    server = started;
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", started.grpcPort()).usePlaintext().build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    http = new LocalHttp(started.httpPort());
  }

  @AfterEach
  void stopServer() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.stop();
    }
  }
}
