package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.router.config.OutlierDetectionConfig;
import dev.yardmaster.router.config.OutlierDetectionConfig.SuccessRate;
import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.front.RouterServer;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Success-rate ejection end to end: three backends behind the router, one failing 3 of every 10
 * requests (never 5 in a row, so consecutive-failure ejection cannot catch it). Within a few
 * intervals the router ejects it for its success rate, the others keep serving, and the client sees
 * no failure (each failed try is retried on another endpoint).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SuccessRateEjectionTest {

  static final long LOAD_MILLIS = 15_000;

  @Test
  void anEndpointFailingThirtyPercentIsEjectedForItsSuccessRate() throws Exception {
    List<FakeBackend> backends = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      backends.add(new FakeBackend());
      endpoints.add(backends.get(i).endpoint());
    }
    FakeBackend flaky = backends.get(2);
    flaky.failuresPerTen = 3;
    // three endpoints: the lowest rate sits at most sqrt(2) deviations below the mean, so a factor of 1
    OutlierDetectionConfig outliers = new OutlierDetectionConfig(5, 30_000, 300_000, 50, true, 300,
        new SuccessRate(true, 3, 20, 1.0));
    MeterRegistry registry = new SimpleMeterRegistry();
    RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("cpu", endpoints)
        .withOutlierDetection(outliers).withRetry(new RetryConfig(2, 1000, 50.0, 3))), null, registry, 100);
    ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
    Pool pool = router.pools().get("cpu");
    try {
      PoolTestSupport.await("3 healthy", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 3);
      Endpoint flakyEndpoint = pool.endpoint(flaky.endpoint());
      var stub = PoolTestSupport.blocking(channel);
      int sent = 0;
      int failed = 0;
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOAD_MILLIS);
      while (flakyEndpoint.state() != EndpointState.EJECTED && System.nanoTime() < end) {
        sent++;
        try {
          stub.withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(PoolTestSupport.higgsRequest(sent));
        } catch (StatusRuntimeException failure) {
          failed++;
        }
      }
      System.out.printf("success-rate ejection: %d sent, %d failed, flaky endpoint got %d, endpoints %s%n", sent,
          failed, flaky.infers.get(), pool.endpoints());

      assertThat(flakyEndpoint.state()).as("the flaky endpoint after %d requests", sent)
          .isEqualTo(EndpointState.EJECTED);
      assertThat(pool.endpoints()).filteredOn(e -> e.state() == EndpointState.HEALTHY).hasSize(2);
      assertThat(ejections(registry, flaky.endpoint(), EjectionReason.SUCCESS_RATE)).isEqualTo(1);
      assertThat(ejections(registry, flaky.endpoint(), EjectionReason.CONSECUTIVE_FAILURES)).isZero();
      assertThat(failed).as("requests that failed at the client").isZero();
    } finally {
      channel.shutdownNow();
      router.stop();
      backends.forEach(FakeBackend::close);
    }
  }

  private static double ejections(MeterRegistry registry, String endpoint, EjectionReason reason) {
    Counter counter = registry.find("yardmaster.endpoint.ejections")
        .tags("pool", "cpu", "endpoint", endpoint, "reason", reason.label()).counter();
    return counter == null ? -1 : counter.count();
  }
}
