package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping an idle server (three Armeria servers: HTTP, gRPC, metrics) is well under a second:
 * Netty's 2 s quiet period for the acceptor loops used to make every stop take 2 s. A bound, not a
 * benchmark.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleStopIsQuickTest {

  static final Duration IDLE_STOP_BOUND = Duration.ofMillis(1000);

  @Test
  void anIdleServerStopsWellUnderASecond() {
    YardmasterServer server = YardmasterServer.builder(FakeModelManager.standard()).httpPort(0).grpcPort(0)
        .metricsPort(0).drainTimeout(Duration.ofSeconds(5)).build().start();
    // one call first, so the server has accepted a connection that has since gone idle
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    channel.shutdownNow();

    long start = System.nanoTime();
    server.stop();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("idle stop took %s ms", took.toMillis()).isLessThan(IDLE_STOP_BOUND);
    assertThat(server.accepting()).isFalse();
  }
}
