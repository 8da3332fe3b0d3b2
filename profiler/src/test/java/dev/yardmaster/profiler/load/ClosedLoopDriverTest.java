package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.data.Percentage.withPercentage;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClosedLoopDriverTest {
  private static FakeInferenceServer server;

  private final ClosedLoopDriver driver = ClosedLoopDriver.create();

  @BeforeAll
  static void startServer() {
    server = new FakeInferenceServer();
    // load the client and server classes once, so timing-sensitive tests measure the loop
    ClosedLoopDriver.create()
        .run(
            spec(2).warmUp(Duration.ZERO).measure(Duration.ofMillis(100)).maxRequests(500).build());
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
    // the run is over: every call has been answered or cancelled on the server too
    for (int i = 0; i < 100 && server.inFlight.get() != 0; i++) {
      Thread.sleep(10);
    }
    assertThat(server.inFlight.get()).isZero();
  }

  private static LoadSpec.Builder spec(int concurrency) {
    return LoadSpec.builder(
            server.target(), RequestFactories.randomFp32("higgs_mlp", "features", 28, 4, 7L))
        .concurrency(concurrency)
        .warmUp(Duration.ofMillis(100))
        .measure(Duration.ofMillis(400))
        .deadline(Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 16})
  void keepsAtMostConcurrencyRequestsOutstanding(int concurrency) {
    server.delay = Duration.ofMillis(1);

    LoadResult result = driver.run(spec(concurrency).call(CallKind.ECHO).build());

    assertThat(server.maxInFlight.get()).isBetween((concurrency + 1) / 2, concurrency);
    assertThat(result.concurrency()).isEqualTo(concurrency);
    assertThat(result.requests()).isPositive();
    assertThat(result.errors()).isEmpty();
    assertThat(result.rows()).isEqualTo(4 * result.requests());
    assertThat(result.requestsPerSecond()).isPositive();
    assertThat(result.inferencesPerSecond())
        .isCloseTo(4 * result.requestsPerSecond(), withPercentage(0.01));
    assertThat(result.p50Ms()).isGreaterThanOrEqualTo(1.0);
    assertThat(result.p99Ms())
        .isGreaterThanOrEqualTo(result.p90Ms())
        .isGreaterThanOrEqualTo(result.p50Ms());
    assertThat(result.maxMs()).isGreaterThanOrEqualTo(result.p99Ms());
    assertThat(result.durationSeconds()).isBetween(0.3, 1.5);
    assertThat(result.warmUpRequests()).isPositive();
    assertThat(result.abandoned()).isZero();
    // every call the server saw was recorded in warm-up or in the window
    assertThat(server.calls.get()).isEqualTo(result.warmUpRequests() + result.requests());
  }

  @Test
  void stopsAtMaxRequestsBeforeTheWindowCloses() {
    long startNanos = System.nanoTime();

    LoadResult result =
        driver.run(
            spec(8).warmUp(Duration.ZERO).measure(Duration.ofSeconds(20)).maxRequests(50).build());

    assertThat(result.requests()).isEqualTo(50);
    assertThat(server.calls.get()).isEqualTo(50);
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void countsErrorsByStatusCode() {
    server.failEvery = 5;

    LoadResult result = driver.run(spec(4).warmUp(Duration.ZERO).build());

    long failed = server.calls.get() / 5;
    assertThat(failed).isPositive();
    assertThat(result.errors()).containsExactly(entry("RESOURCE_EXHAUSTED", failed));
    assertThat(result.totalErrors()).isEqualTo(failed);
    assertThat(result.rows()).isEqualTo(4 * (result.requests() - failed));
  }

  @Test
  void stopsWithinItsBoundWhenTheServerHangs() {
    server.hang.set(true);
    long startNanos = System.nanoTime();

    LoadResult result =
        driver.run(
            spec(4)
                .warmUp(Duration.ZERO)
                .measure(Duration.ofMillis(300))
                .deadline(Duration.ofMillis(200))
                .build());

    // bound: measure + deadline + grace
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
        .isLessThan(Duration.ofMillis(2500));
    assertThat(result.errors()).containsOnlyKeys("DEADLINE_EXCEEDED");
    assertThat(result.requests()).isBetween(4L, 12L);
    assertThat(result.p50Ms()).isZero();
  }

  @Test
  void failsFastAgainstAClosedPortWithoutRunningAway() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LoadSpec closed =
        LoadSpec.builder(
                new Target("127.0.0.1", closedPort),
                RequestFactories.randomFp32("m", "x", 4, 1, 1L))
            .concurrency(2)
            .warmUp(Duration.ZERO)
            .measure(Duration.ofMillis(300))
            .maxRequests(20_000)
            .build();

    LoadResult result = driver.run(closed);

    assertThat(result.errors()).containsOnlyKeys("UNAVAILABLE");
    assertThat(result.requests()).isBetween(1L, 20_000L);
    assertThat(result.requestsPerSecond()).isZero();
  }

  @Test
  void sendsEachStreamsTierHeader() {
    RequestFactory tiered =
        RequestFactories.randomFp32("higgs_mlp", "features", 28, 1, 3L)
            .withHeaderByStream("x-sla-tier", stream -> stream % 2 == 0 ? "gold" : "bronze");

    driver.run(spec(4).requests(tiered).measure(Duration.ofMillis(200)).build());

    assertThat(server.tiers).containsOnlyKeys("gold", "bronze");
    assertThat(server.tiers.get("gold").sum()).isPositive();
  }

  @Test
  void reportsProgressWhileRunning() {
    List<LoadProgress> reports = new CopyOnWriteArrayList<>();
    ClosedLoopDriver reporting =
        ClosedLoopDriver.builder()
            .progress(reports::add)
            .progressInterval(Duration.ofMillis(100))
            .build();

    reporting.run(spec(2).warmUp(Duration.ofMillis(150)).measure(Duration.ofMillis(350)).build());

    assertThat(reports).hasSizeGreaterThanOrEqualTo(3);
    assertThat(reports)
        .extracting(LoadProgress::phase)
        .contains(LoadProgress.Phase.WARM_UP, LoadProgress.Phase.MEASURE);
    // a loaded build machine may stall a report or two: ask only that some show the load moving
    assertThat(reports).anySatisfy(report -> assertThat(report.requestsPerSecond()).isPositive());
    assertThat(reports).extracting(LoadProgress::elapsedNanos).isSorted();
  }

  @Test
  void reusesBorrowedChannelsAcrossASweep() {
    LoadSpec base = spec(1).channels(2).measure(Duration.ofMillis(200)).build();
    try (LoadChannels channels = LoadChannels.open(base)) {
      LoadResult one = driver.run(base, channels);
      LoadResult four = driver.run(base.withConcurrency(4), channels);

      assertThat(one.concurrency()).isEqualTo(1);
      assertThat(four.concurrency()).isEqualTo(4);
      assertThat(four.requests()).isPositive();
    }
  }
}
