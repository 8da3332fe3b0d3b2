package dev.yardmaster.router.routing;

import static dev.yardmaster.router.routing.PacedBackend.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.profiler.profile.ProfileFiles;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import dev.yardmaster.router.testsupport.RouterFixture;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a cheap pool whose profile says 5 ms and an expensive fast one (2 ms),
 * both serving any number of requests at once, and gold at a steady 50 requests/s. Mid-test the
 * cheap pool slows to 60 ms a request with no queue to show for it (about 3 in flight, which the
 * queue model reads as 20 ms, within gold's 40 ms), as a stale profile, thermal throttling or a
 * shared pool's other tenants would: its late answers move gold to the fast pool within a few
 * answers, and gold returns about a second after the cheap pool answers on time again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoldLeavesAPoolThatFallsBehindItsProfileTest {

  private static final Metadata.Key<String> SLA_TIER = Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @TempDir Path dir;

  @Test
  void goldLeavesWithinASecondOfTheSlowDownAndReturnsAfterTheRecovery() throws Exception {
    try (PacedBackend cheap = PacedBackend.parallel(5); PacedBackend fast = PacedBackend.parallel(2)) {
      Files.createDirectories(dir.resolve("profiles"));
      ProfileFiles.write(dir.resolve("profiles/tabular.json"), new Profile(1, "tabular", null,
          Profile.DEFAULT_TIERS, 0, List.of(entry("cheap", "cpu", 0.05, 5.0), entry("fast", "gpu", 1.0, 2.0))));
      try (RouterFixture router = RouterFixture.start(dir, """
          server: {grpc_port: 0, metrics_port: 0, default_timeout_ms: 10000}
          tiers:
            gold:   {p99_ms: 50,  priority: 1}
            silver: {p99_ms: 150, priority: 2}
            bronze: {priority: 3}
          pools:
            - {name: cheap, kind: kserve, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"]}
            - {name: fast, kind: kserve, accelerator: gpu, price_per_hour: 1.0, endpoints: ["%s"]}
          models:
            - {name: tabular, profile: profiles/tabular.json}
          routing: {policy: cost-aware, safety_margin: 0.8}
          """.formatted(cheap.endpoint(), fast.endpoint()))) {
        warmUp(router);
        Metadata gold = new Metadata();
        gold.put(SLA_TIER, "gold");
        int total = 300; // 1 s on time, 2 s slow, 3 s on time again
        long[] sentNanos = new long[total];
        String[] pools = new String[total];
        CountDownLatch answered = new CountDownLatch(total);
        long start = System.nanoTime();
        long slowAt = start + SECOND;
        long recoveredAt = start + 3 * SECOND;
        long maxLatenessNanos = 0;
        for (int i = 0; i < total; i++) {
          long due = start + i * INTERVAL_NANOS;
          LockSupport.parkNanos(due - System.nanoTime());
          if (due >= slowAt && due < recoveredAt) {
            cheap.pace(60);
          } else {
            cheap.pace(5);
          }
          maxLatenessNanos = Math.max(maxLatenessNanos, router.router().router().tailLatenessNanos("cheap", "gold"));
          sentNanos[i] = System.nanoTime();
          AtomicReference<Metadata> headers = new AtomicReference<>();
          int index = i;
          GRPCInferenceServiceGrpc.newStub(router.channel())
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(gold),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .modelInfer(request("tabular"), new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse value) {}

                @Override
                public void onError(Throwable t) {
                  pools[index] = "error: " + t;
                  answered.countDown();
                }

                @Override
                public void onCompleted() {
                  pools[index] = headers.get().get(POOL);
                  answered.countDown();
                }
              });
        }
        assertThat(answered.await(20, TimeUnit.SECONDS)).as("every request answered").isTrue();

        String timeline = timeline(sentNanos, pools, start)
            + String.format("%n  cheap pool's residual at the end: %.1f ms", router.router().router().residualNanos("cheap") / 1e6);
        System.out.println("gold by pool (c: cheap, f: fast), a line a second; slow from 1 s to 3 s:" + timeline);
        assertThat(share("cheap", sentNanos, pools, start + SECOND / 2, slowAt))
            .as("gold on the cheap pool while it keeps its profile%n%s", timeline).isGreaterThanOrEqualTo(0.9);
        assertThat(share("fast", sentNanos, pools, slowAt, slowAt + SECOND))
            .as("gold moved off within a second of the slow-down%n%s", timeline).isPositive();
        // it is tried again about once a second while slow (a few requests each time), so not all of it
        assertThat(share("fast", sentNanos, pools, slowAt + SECOND / 2, recoveredAt))
            .as("gold off the slow pool%n%s", timeline).isGreaterThanOrEqualTo(0.7);
        assertThat(maxLatenessNanos).as("the cheap pool's tail lateness while slow").isGreaterThan(40_000_000);
        assertThat(share("cheap", sentNanos, pools, recoveredAt + 2 * SECOND + SECOND / 2, Long.MAX_VALUE))
            .as("gold back on the cheap pool within 2.5 s of its recovery%n%s", timeline).isGreaterThanOrEqualTo(0.9);
        assertThat(router.registry().scrape()).contains("yardmaster_prediction_tail_lateness_seconds{pool=\"cheap\",tier=\"gold\"}");
      }
    }
  }

  /**
   * Best-effort requests pinned to each pool, which teach gold's routing nothing about lateness
   * (it is kept per tier): the first answers of a cold JVM on a busy machine take hundreds of
   * milliseconds, and gold's would make both pools look late for a second.
   */
  private static void warmUp(RouterFixture router) {
    for (String pool : List.of("cheap", "fast")) {
      Metadata pinned = new Metadata();
      pinned.put(SLA_TIER, "bronze");
      pinned.put(POOL, pool);
      for (int i = 0; i < 100; i++) {
        router.stub(pinned).modelInfer(request("tabular"));
      }
    }
  }

  /** The share of the requests sent in [from, to) that the pool answered. */
  private static double share(String pool, long[] sentNanos, String[] pools, long from, long to) {
    int sent = 0;
    int onPool = 0;
    for (int i = 0; i < sentNanos.length; i++) {
      if (sentNanos[i] >= from && sentNanos[i] < to) {
        sent++;
        onPool += pool.equals(pools[i]) ? 1 : 0;
      }
    }
    assertThat(sent).as("requests sent in the interval").isPositive();
    return onPool / (double) sent;
  }

  /** One letter per request (c: cheap, f: fast, x: other), a line per second, for failure messages. */
  private static String timeline(long[] sentNanos, String[] pools, long start) {
    StringBuilder text = new StringBuilder();
    long second = -1;
    for (int i = 0; i < sentNanos.length; i++) {
      long s = (sentNanos[i] - start) / SECOND;
      if (s != second) {
        second = s;
        text.append(String.format("%n  %ds ", s));
      }
      text.append("cheap".equals(pools[i]) ? 'c' : "fast".equals(pools[i]) ? 'f' : 'x');
    }
    for (String pool : pools) {
      if (!"cheap".equals(pool) && !"fast".equals(pool)) {
        return text.append(String.format("%n  x: %s", pool)).toString();
      }
    }
    return text.toString();
  }

  private static ProfileEntry entry(String pool, String accelerator, double price, double ms) {
    return new ProfileEntry("1", "kserve", pool, "test", accelerator, price,
        List.of(new GridPoint(1, 1, 1000.0 / ms, ms, ms, ms, ms, 0)), null);
  }
}
