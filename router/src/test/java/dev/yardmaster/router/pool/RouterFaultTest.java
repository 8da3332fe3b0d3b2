package dev.yardmaster.router.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.config.RetryConfig;
import dev.yardmaster.router.front.RouterServer;
import dev.yardmaster.router.server.YardmasterServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test: 64 closed-loop clients through the router to three real backends for a bounded
 * time; one backend is stopped abruptly (no drain) mid-load. Every request must end within its
 * deadline, none may hang, and none may be lost while healthy endpoints remain.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RouterFaultTest {

  static final int CLIENTS = 64;
  static final long LOAD_MILLIS = 5000;
  static final long KILL_AT_MILLIS = 1500;
  static final long DEADLINE_MILLIS = 3000;
  static final long SLACK_MILLIS = 250;

  @TempDir Path repository;

  @Test
  void stoppingOneBackendMidLoadLosesNothing() throws Exception {
    PoolTestSupport.writeDemoRepository(repository);
    List<YardmasterServer> backends = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      backends.add(PoolTestSupport.demoBackend(repository));
      endpoints.add("127.0.0.1:" + backends.get(i).grpcPort());
    }
    // per-try timeout well above this shared 2-core box's p99 under 64-way load, below the deadline
    RouterServer router = RouterServer.start(PoolTestSupport.router(PoolTestSupport.pool("cpu", endpoints)
        .withRetry(new RetryConfig(2, 1500, 50.0, 3))), null, new SimpleMeterRegistry(), 100);
    ManagedChannel channel = PoolTestSupport.channel(router.grpcPort());
    Pool pool = router.pools().get("cpu");
    try {
      PoolTestSupport.await("3 healthy", Duration.ofSeconds(10), () -> pool.healthyEndpoints() == 3);
      var stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger late = new AtomicInteger();
      AtomicInteger started = new AtomicInteger();
      Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
      AtomicLong maxMillis = new AtomicLong();
      CountDownLatch clientsDone = new CountDownLatch(CLIENTS);
      long loadStart = System.nanoTime();
      long loadEnd = loadStart + TimeUnit.MILLISECONDS.toNanos(LOAD_MILLIS);

      class Client {
        final int id;

        Client(int id) {
          this.id = id;
        }

        void next() {
          if (System.nanoTime() > loadEnd) {
            clientsDone.countDown();
            return;
          }
          started.incrementAndGet();
          long start = System.nanoTime();
          Futures.addCallback(stub.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
              .modelInfer(PoolTestSupport.higgsRequest(id)), new FutureCallback<ModelInferResponse>() {
                @Override
                public void onSuccess(ModelInferResponse result) {
                  finish(start);
                  ok.incrementAndGet();
                  next();
                }

                @Override
                public void onFailure(Throwable error) {
                  finish(start);
                  Status status = Status.fromThrowable(error);
                  failures.computeIfAbsent(status.getCode() + ": " + status.getDescription(),
                      k -> new AtomicInteger()).incrementAndGet();
                  next();
                }
              }, MoreExecutors.directExecutor());
        }

        void finish(long start) {
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          maxMillis.accumulateAndGet(millis, Math::max);
          if (millis > DEADLINE_MILLIS + SLACK_MILLIS) {
            late.incrementAndGet();
          }
        }
      }
      for (int c = 0; c < CLIENTS; c++) {
        new Client(c).next();
      }
      Thread.sleep(KILL_AT_MILLIS);
      int beforeKill = ok.get();
      YardmasterServer victim = backends.get(1);
      Thread killer = new Thread(victim::stop, "killer");
      killer.start();

      boolean allEnded = clientsDone.await(LOAD_MILLIS + DEADLINE_MILLIS + 2000, TimeUnit.MILLISECONDS);
      killer.join(15_000);
      long hung = clientsDone.getCount();
      int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();
      System.out.printf("fault test: %d started, %d ok (%d before the kill), %d failed %s, %d late, %d hung, "
              + "max %d ms, retries %.0f, endpoints %s%n",
          started.get(), ok.get(), beforeKill, failed, failures, late.get(), hung, maxMillis.get(),
          pool.metrics().retries().count(), pool.endpoints());
      assertThat(allEnded).as("every client loop ended").isTrue();
      assertThat(hung).as("hung requests").isZero();
      assertThat(ok.get() + failed).as("every started request ended").isEqualTo(started.get());
      assertThat(late.get()).as("requests that ended after their deadline").isZero();
      assertThat(failures).as("lost requests (two healthy endpoints remained)").isEmpty();
      assertThat(ok.get()).isGreaterThan(beforeKill);
      assertThat(pool.endpoints()).filteredOn(e -> e.state() == EndpointState.HEALTHY).hasSize(2);
      assertThat(pool.inFlight()).isZero();
    } finally {
      channel.shutdownNow();
      router.stop();
      backends.forEach(YardmasterServer::stop);
    }
  }
}
