package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.HealthCheckConfig;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.PoolView;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Health-check transitions, ejection and return (fake ticker), hanging and garbage endpoints, and a
 * pool with no healthy endpoint, against fake backends on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolFaultsTest {

  final AtomicLong ticker = new AtomicLong();
  final Pools pools = new Pools(new SimpleMeterRegistry(), ticker::get);
  final List<FakeBackend> backends = new ArrayList<>();

  @AfterEach
  void close() {
    pools.close();
    backends.forEach(FakeBackend::close);
  }

  Pool start(int count, RetryConfig retry) throws Exception {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      FakeBackend backend = new FakeBackend();
      backends.add(backend);
      endpoints.add(backend.endpoint());
    }
    PoolConfig config = PoolTestSupport.pool("p", endpoints).withRetry(retry);
    pools.apply(new RouterConfig(0, 0, 5000, List.of(config)));
    Pool pool = pools.get("p");
    PoolTestSupport.await("healthy endpoints", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == count);
    return pool;
  }

  static CompletableFuture<ModelInferResponse> infer(Pool pool, long deadlineMillis) {
    CompletableFuture<ModelInferResponse> result = new CompletableFuture<>();
    Context.ROOT.run(() -> Forwarder.infer(pool, PoolTestSupport.higgsRequest(0),
        Deadline.after(deadlineMillis, TimeUnit.MILLISECONDS), new Metadata(), new StreamObserver<>() {
          @Override
          public void onNext(ModelInferResponse value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() { }
        }));
    return result;
  }

  static Status failure(CompletableFuture<ModelInferResponse> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    }
    throw new AssertionError("expected a failure, got a response");
  }

  Endpoint endpointOf(Pool pool, FakeBackend backend) {
    return pool.endpoint(backend.endpoint());
  }

  @Test
  void healthChecksMarkEndpointsUnhealthyAndHealthyAgain() throws Exception {
    Pool pool = start(2, new RetryConfig(2, 500, 20, 3));
    FakeBackend flaky = backends.get(0);
    flaky.ready = false;
    PoolTestSupport.await("unhealthy", Duration.ofSeconds(5),
        () -> endpointOf(pool, flaky).state() == EndpointState.UNHEALTHY);
    assertThat(pool.healthyEndpoints()).isEqualTo(1);
    PoolView view = pool.view();
    assertThat(view.id()).isEqualTo("p");
    assertThat(view.replicas()).isEqualTo(1);
    assertThat(view.healthy()).isTrue();
    assertThat(view.inFlight()).isZero();
    assertThat(view.queuedRows()).isZero();
    for (int i = 0; i < 10; i++) {
      infer(pool, 2000).get(5, TimeUnit.SECONDS);
    }
    int whileUnhealthy = flaky.infers.get();
    assertThat(whileUnhealthy).isZero();
    flaky.ready = true;
    PoolTestSupport.await("healthy again", Duration.ofSeconds(5),
        () -> endpointOf(pool, flaky).state() == EndpointState.HEALTHY);
    assertThat(pool.view().replicas()).isEqualTo(2);
    assertThat(pool.view().overheadNanos()).isPositive(); // EWMA latency of the healthy endpoints
  }

  /** Guava's allAsList logged each failure after the first at SEVERE: every check of a down endpoint. */
  @Test
  void checksOfADownEndpointWithModelsLogNothingSevere() throws Exception {
    FakeBackend down = new FakeBackend();
    backends.add(down);
    Logger guava = Logger.getLogger("com.google.common.util.concurrent");
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
          severe.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    guava.addHandler(capture);
    try {
      PoolConfig config = PoolTestSupport.pool("p", List.of(down.endpoint()))
          .withHealthCheck(new HealthCheckConfig(50, 2000, 1, 1, List.of("higgs_mlp_v1", "wide_mlp")));
      pools.apply(new RouterConfig(0, 0, 5000, List.of(config)));
      Pool pool = pools.get("p");
      PoolTestSupport.await("healthy", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 1);
      down.close();
      PoolTestSupport.await("unhealthy", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 0);
      Thread.sleep(300); // several more failing checks, each with three failed calls
    } finally {
      guava.removeHandler(capture);
    }
    assertThat(severe).extracting(LogRecord::getMessage).isEmpty();
  }

  @Test
  void failingEndpointIsEjectedWithoutLosingRequestsAndReturnsAfterBaseEjectionTime() throws Exception {
    Pool pool = start(3, new RetryConfig(2, 500, 20, 3));
    FakeBackend failing = backends.get(0);
    failing.mode = FakeBackend.Mode.UNAVAILABLE;
    for (int i = 0; i < 30; i++) {
      assertThat(infer(pool, 2000).get(5, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
    }
    Endpoint endpoint = endpointOf(pool, failing);
    assertThat(endpoint.state()).isEqualTo(EndpointState.EJECTED);
    assertThat(failing.infers.get()).isEqualTo(3); // consecutive_failures: 3, then no more traffic
    failing.mode = FakeBackend.Mode.OK;
    ticker.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    pool.maintain();
    assertThat(endpoint.state()).isEqualTo(EndpointState.EJECTED);
    ticker.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    pool.maintain();
    assertThat(endpoint.state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.outliers().enforced()).isEqualTo(1);
  }

  /**
   * A loaded endpoint's refusals (its queue full, a request's queue timeout passed), in Triton's
   * words and in a Yardmaster backend's: the request was not run, so it is retried on the other
   * endpoint, and the endpoint, healthy but busy, is never ejected for it.
   */
  @ParameterizedTest
  @MethodSource("busyAnswers")
  void busyEndpointIsRetriedElsewhereAndNeverEjected(Status busy) throws Exception {
    Pool pool = start(2, new RetryConfig(2, 500, 20, 3));
    FakeBackend loaded = backends.get(0);
    loaded.mode = FakeBackend.Mode.REFUSE;
    loaded.refusal = busy;

    for (int i = 0; i < 30; i++) {
      assertThat(infer(pool, 2000).get(5, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
    }

    assertThat(loaded.infers.get()).as("tries on the busy endpoint: more than consecutive_failures").isGreaterThan(3);
    assertThat(endpointOf(pool, loaded).state()).isEqualTo(EndpointState.HEALTHY);
    assertThat(pool.outliers().enforced()).isZero();
    assertThat(pool.metrics().retries().count()).isEqualTo((double) loaded.infers.get());
  }

  static Stream<Status> busyAnswers() {
    return Stream.of(
        Status.UNAVAILABLE.withDescription("Exceeds maximum queue size"), // Triton's RequestQueue
        Status.UNAVAILABLE.withDescription("Request timeout expired"), // Triton's REJECT timeout action
        Status.RESOURCE_EXHAUSTED.withDescription(
            "model 'm' priority level 1 queued requests: 8 (expected: < max_queue_size 8); retry later"),
        Status.DEADLINE_EXCEEDED.withDescription(
            "Request timeout expired: model 'm' request '' queue time: 2000 us (expected: <= timeout 1000 us)"));
  }

  @Test
  void aPoolWhoseOnlyEndpointIsBusyPassesItsAnswerOnAndKeepsTheEndpoint() throws Exception {
    Pool pool = start(1, new RetryConfig(2, 500, 20, 3));
    FakeBackend loaded = backends.get(0);
    loaded.mode = FakeBackend.Mode.REFUSE;

    for (int i = 0; i < 6; i++) { // twice consecutive_failures
      Status refused = failure(infer(pool, 2000));
      assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getDescription()).contains("Exceeds maximum queue size");
    }

    assertThat(endpointOf(pool, loaded).state()).isEqualTo(EndpointState.HEALTHY);
    loaded.mode = FakeBackend.Mode.OK;
    assertThat(infer(pool, 2000).get(5, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(1);
  }

  /** gRPC's own size limit is RESOURCE_EXHAUSTED too, but no other endpoint would take that request. */
  @Test
  void aResourceExhaustedThatIsNotAFullQueueIsPassedOnAtOnce() throws Exception {
    Pool pool = start(2, new RetryConfig(2, 500, 20, 3));
    for (FakeBackend backend : backends) {
      backend.mode = FakeBackend.Mode.REFUSE;
      backend.refusal = Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size 4194304: 5000000");
    }

    assertThat(failure(infer(pool, 2000)).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(backends.get(0).infers.get() + backends.get(1).infers.get()).as("tries").isEqualTo(1);
  }

  @Test
  void hangingEndpointTimesOutPerTryAndTheRequestSucceedsElsewhere() throws Exception {
    // per-try 1 s: long enough that the live endpoint answers in time on this shared, loaded box
    Pool pool = start(2, new RetryConfig(3, 1000, 20, 3));
    FakeBackend hanging = backends.get(0);
    hanging.mode = FakeBackend.Mode.HANG;
    Endpoint endpoint = endpointOf(pool, hanging);
    // Every request succeeds in time. Requests go one at a time, so the balancer picks between two
    // idle endpoints by chance: 12 of them reach the hanging one fewer than 3 times (its
    // consecutive_failures) about once in 50 runs. Go on until it is ejected, up to 40.
    for (int i = 0; i < 40 && (i < 12 || endpoint.state() != EndpointState.EJECTED); i++) {
      long start = System.nanoTime();
      infer(pool, 8000).get(9, TimeUnit.SECONDS);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(5000));
    }
    assertThat(endpoint.state()).as("tries on the hanging endpoint: %d", hanging.infers.get())
        .isEqualTo(EndpointState.EJECTED);
    assertThat(pool.inFlight()).isZero();
  }

  @Test
  void garbageResponseIsInternalAndCountsAsFailure() throws Exception {
    Pool pool = start(1, new RetryConfig(2, 500, 20, 3));
    backends.get(0).mode = FakeBackend.Mode.GARBAGE;
    Status status = failure(infer(pool, 2000));
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).startsWith("pool 'p' endpoint 127.0.0.1:")
        .endsWith("sent a malformed response: output 'y' raw_output_contents: 3 bytes "
            + "(expected: 4 = shape [1, 1] x FP32 4 bytes)");
    failure(infer(pool, 2000));
    failure(infer(pool, 2000));
    assertThat(pool.endpoints().get(0).state()).isEqualTo(EndpointState.EJECTED);
  }

  @Test
  void poolWithNoHealthyEndpointIsUnavailableNamingThePool() throws Exception {
    Pool pool = start(1, new RetryConfig(2, 500, 20, 3));
    backends.get(0).ready = false;
    PoolTestSupport.await("unhealthy", Duration.ofSeconds(5), () -> pool.healthyEndpoints() == 0);
    Status status = failure(infer(pool, 2000));
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription())
        .isEqualTo("pool 'p': no healthy endpoint (1 endpoints, 0 ejected, 1 unhealthy)");
  }

  @Test
  void retriesStopAtTheCallersDeadline() throws Exception {
    Pool pool = start(2, new RetryConfig(5, 1000, 100, 10));
    backends.forEach(b -> b.mode = FakeBackend.Mode.HANG);
    long start = System.nanoTime();
    Status status = failure(infer(pool, 300));
    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(1000));
  }
}
