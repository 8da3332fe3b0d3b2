package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenLoopDriverTest {
  private static FakeInferenceServer server;

  private final OpenLoopDriver driver = OpenLoopDriver.create();

  @BeforeAll
  static void startServer() {
    server = new FakeInferenceServer();
    OpenLoopDriver.create()
        .run(spec(4).measure(Duration.ofMillis(100)).build(), ArrivalProcess.uniform(500));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void resetServer() {
    server.reset();
  }

  @AfterEach
  void nothingLeftInFlight() throws InterruptedException {
    for (int i = 0; i < 100 && server.inFlight.get() != 0; i++) {
      Thread.sleep(10);
    }
    assertThat(server.inFlight.get()).isZero();
  }

  private static LoadSpec.Builder spec(int maxOutstanding) {
    return LoadSpec.builder(
            server.target(), RequestFactories.randomFp32("higgs_mlp", "features", 28, 2, 5L))
        .concurrency(maxOutstanding)
        .warmUp(Duration.ZERO)
        .measure(Duration.ofMillis(500))
        .deadline(Duration.ofSeconds(2));
  }

  @Test
  void sendsAtTheOfferedRate() {
    server.delay = Duration.ofMillis(1);

    LoadResult result = driver.run(spec(16).build(), ArrivalProcess.uniform(400));

    // 400/s for 0.5 s: 200 arrivals, the first at time zero, whatever the machine does; a stall
    // on a busy build machine may burst arrivals past the cap (dropped), but most are sent
    assertThat(result.requests() + result.dropped()).isBetween(199L, 201L);
    assertThat(result.requests()).isGreaterThanOrEqualTo(100);
    assertThat(result.errors()).isEmpty();
    assertThat(result.rows()).isEqualTo(2 * result.requests());
    assertThat(result.p99Ms()).isGreaterThanOrEqualTo(result.p50Ms()).isGreaterThanOrEqualTo(1.0);
    assertThat(server.maxInFlight.get()).isLessThanOrEqualTo(16);
  }

  @Test
  void dropsArrivalsWhileTheOutstandingCapIsFull() {
    server.delay = Duration.ofMillis(50);

    LoadResult result =
        driver.run(
            spec(4).measure(Duration.ofMillis(300)).build(), ArrivalProcess.poisson(1000, 11L));

    assertThat(server.maxInFlight.get()).isLessThanOrEqualTo(4);
    assertThat(result.dropped()).isPositive();
    // 4 slots each held at least 50 ms over a 300 ms window
    assertThat(result.requests()).isBetween(4L, 4L * 7);
    assertThat(result.p50Ms()).isGreaterThanOrEqualTo(50.0);
  }

  @Test
  void stopsAtMaxRequests() {
    LoadResult result =
        driver.run(
            spec(8).measure(Duration.ofSeconds(20)).maxRequests(40).build(),
            ArrivalProcess.uniform(2000));

    assertThat(result.requests() + result.dropped()).isEqualTo(40);
    assertThat(server.calls.get()).isEqualTo(result.requests());
  }

  @Test
  void stopsWithinItsBoundWhenTheServerHangs() {
    server.hang.set(true);
    long startNanos = System.nanoTime();

    LoadResult result =
        driver.run(
            spec(8).measure(Duration.ofMillis(300)).deadline(Duration.ofMillis(200)).build(),
            ArrivalProcess.uniform(100));

    assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
        .isLessThan(Duration.ofMillis(2500));
    assertThat(result.errors()).containsOnlyKeys("DEADLINE_EXCEEDED");
    assertThat(result.requests()).isEqualTo(server.calls.get());
  }
}
