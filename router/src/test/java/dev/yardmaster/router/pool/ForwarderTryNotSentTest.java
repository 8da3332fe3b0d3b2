package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.front.RouterServer;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A try whose send throws (a client closed under it by a reload, a bug) still ends exactly once:
 * the caller gets UNAVAILABLE naming it, and the endpoint's in-flight count goes back to zero, so
 * routing does not see a request that will never answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwarderTryNotSentTest {

  @Test
  void aTryThatThrowsEndsTheCallOnceAndLeavesNothingInFlight() throws Exception {
    try (FakeBackend backend = new FakeBackend()) {
      RouterServer router = PoolTestSupport.startRouter(PoolTestSupport.pool("cpu", List.of(backend.endpoint()))
          .withRetry(new RetryConfig(0, 2_000, 20.0, 3)));
      try {
        Pool pool = router.pools().get("cpu");
        List<String> events = new ArrayList<>();

        Forwarder.infer(pool, new ThrowingInfer(), Deadline.after(5, TimeUnit.SECONDS), new StreamObserver<>() {
          @Override
          public void onNext(String value) {
            events.add("next");
          }

          @Override
          public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            events.add(status.getCode() + ": " + status.getDescription());
          }

          @Override
          public void onCompleted() {
            events.add("completed");
          }
        });

        assertThat(events).singleElement().asString().startsWith("UNAVAILABLE: pool 'cpu' endpoint ")
            .contains("try not sent: java.lang.IllegalStateException: client closed");
        assertThat(pool.inFlight()).isZero();
        assertThat(pool.queuedRows()).isZero();
      } finally {
        router.stop();
      }
    }
  }

  /** A request whose every send throws before reaching the endpoint. */
  private static final class ThrowingInfer implements ForwardedInfer<String> {
    @Override
    public String modelName() {
      return "higgs_mlp_v1";
    }

    @Override
    public long rows() {
      return 3;
    }

    @Override
    public ForwardedInfer<String> withPriority(long priority) {
      return this;
    }

    @Override
    public void send(Endpoint endpoint, Deadline tryDeadline, StreamObserver<String> observer) {
      throw new IllegalStateException("client closed");
    }

    @Override
    public boolean callerCancelled() {
      return false;
    }

    @Override
    public @Nullable String problem(String answer) {
      return null;
    }

    @Override
    public String modelVersion(String answer) {
      return "";
    }
  }
}
