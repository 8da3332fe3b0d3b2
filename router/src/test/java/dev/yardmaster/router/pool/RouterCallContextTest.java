package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.front.RouterServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The router front end on Armeria keeps grpc-java's call context: the caller's deadline reaches the
 * endpoint, and a caller that cancels cancels the try in flight (the endpoint here never answers,
 * and the per-try timeout is far longer than the test waits).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouterCallContextTest {

  private FakeBackend backend;
  private RouterServer router;
  private ManagedChannel channel;
  private Pool pool;

  @BeforeEach
  void start() throws Exception {
    backend = new FakeBackend();
    backend.mode = FakeBackend.Mode.HANG;
    router = PoolTestSupport.startRouter(PoolTestSupport.pool("cpu", List.of(backend.endpoint()))
        .withRetry(new RetryConfig(0, 20_000, 50.0, 3)));
    channel = PoolTestSupport.channel(router.grpcPort());
    pool = router.pools().get("cpu");
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    router.stop();
    backend.close();
  }

  @Test
  void callersDeadlineEndsTheCallAndTheTryInFlight() throws Exception {
    long start = System.nanoTime();
    StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
        () -> PoolTestSupport.blocking(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .modelInfer(PoolTestSupport.higgsRequest(1)));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(millis).as("ended by the caller's 300 ms, not the 5 s default").isLessThan(3000);
    PoolTestSupport.await("the try ended", Duration.ofSeconds(3), () -> pool.inFlight() == 0);
  }

  @Test
  void callerThatCancelsCancelsTheTryInFlight() throws Exception {
    var call = GRPCInferenceServiceGrpc.newFutureStub(channel).modelInfer(PoolTestSupport.higgsRequest(2));
    PoolTestSupport.await("the endpoint got the request", Duration.ofSeconds(5), () -> backend.infers.get() == 1);
    assertThat(pool.inFlight()).isEqualTo(1);
    call.cancel(true);
    PoolTestSupport.await("the try was cancelled", Duration.ofSeconds(3), () -> pool.inFlight() == 0);
    assertThat(call.isCancelled()).isTrue();
  }
}
