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
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a cheap pool that serves one request at a time in 20 ms while its profile
 * says 5 ms (it drains 50 rows/s, the router reads 200), an expensive pool with room to spare, a
 * max queue delay of 200 ms, and bronze at 100 requests/s for 3 s. By the profile alone the cheap
 * pool takes bronze until 40 rows are queued (200 ms predicted, 800 ms real). Bronze's requests
 * waiting there fall behind their predictions, and its answers come late; that lateness counts
 * against the max queue delay, so bronze spills to the expensive pool while the cheap pool's real
 * wait stays near the delay (and is shed when every pool's real wait is past it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BronzeLeavesAPoolThatDrainsSlowerThanItsProfileTest {

  private static final Metadata.Key<String> SLA_TIER = Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int REQUESTS = 300;

  @TempDir Path dir;

  @Test
  void bronzeSpillsOverBeforeTheSlowPoolsRealWaitOutgrowsTheMaxQueueDelay() throws Exception {
    try (PacedBackend cheap = PacedBackend.serial(20); PacedBackend roomy = PacedBackend.parallel(2)) {
      ProfileFiles.write(dir.resolve("tabular.json"), new Profile(1, "tabular", null, Profile.DEFAULT_TIERS, 0,
          List.of(entry("cheap", "cpu", 0.05, 5.0), entry("roomy", "gpu", 1.0, 2.0))));
      try (RouterFixture router = RouterFixture.start(dir, """
          server: {grpc_port: 0, metrics_port: 0, default_timeout_ms: 10000}
          pools:
            - {name: cheap, kind: kserve, accelerator: cpu, price_per_hour: 0.05, endpoints: ["%s"]}
            - {name: roomy, kind: kserve, accelerator: gpu, price_per_hour: 1.0, endpoints: ["%s"]}
          models: [{name: tabular, profile: tabular.json}]
          routing: {policy: cost-aware, max_queue_delay_ms: 200}
          """.formatted(cheap.endpoint(), roomy.endpoint()))) {
        warmUp(router);
        Metadata bronze = new Metadata();
        bronze.put(SLA_TIER, "bronze");
        long[] latencyNanos = new long[REQUESTS];
        String[] pools = new String[REQUESTS];
        CountDownLatch answered = new CountDownLatch(REQUESTS);
        long start = System.nanoTime();
        long maxLatenessNanos = 0;
        for (int i = 0; i < REQUESTS; i++) {
          LockSupport.parkNanos(start + i * INTERVAL_NANOS - System.nanoTime());
          maxLatenessNanos = Math.max(maxLatenessNanos, router.router().router().tailLatenessNanos("cheap", "bronze"));
          long sent = System.nanoTime();
          AtomicReference<Metadata> headers = new AtomicReference<>();
          int index = i;
          GRPCInferenceServiceGrpc.newStub(router.channel())
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bronze),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, new AtomicReference<>()))
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .modelInfer(request("tabular"), new StreamObserver<>() {
                @Override
                public void onNext(ModelInferResponse value) {}

                @Override
                public void onError(Throwable t) {
                  pools[index] = Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED ? "shed"
                      : "error: " + t;
                  answered.countDown();
                }

                @Override
                public void onCompleted() {
                  latencyNanos[index] = System.nanoTime() - sent;
                  pools[index] = headers.get().get(POOL);
                  answered.countDown();
                }
              });
        }
        assertThat(answered.await(30, TimeUnit.SECONDS)).as("every request answered").isTrue();

        long onCheap = Arrays.stream(pools).filter("cheap"::equals).count();
        long onRoomy = Arrays.stream(pools).filter("roomy"::equals).count();
        long shed = Arrays.stream(pools).filter("shed"::equals).count();
        // shed only while every pool's real wait is past the delay (on a busy machine the roomy one can be too)
        assertThat(onCheap + onRoomy + shed).as("answered by a pool or shed: %s", Arrays.toString(pools))
            .isEqualTo(REQUESTS);
        assertThat(onRoomy).as("bronze spilled over to the expensive pool: %s", Arrays.toString(pools)).isPositive();
        long[] cheapMillis = new long[(int) onCheap];
        for (int i = 0, j = 0; i < REQUESTS; i++) {
          if ("cheap".equals(pools[i])) {
            cheapMillis[j++] = latencyNanos[i] / 1_000_000;
          }
        }
        Arrays.sort(cheapMillis);
        long p90 = cheapMillis[(int) (cheapMillis.length * 0.9)];
        // by the profile alone the cheap pool's real wait reaches about 800 ms
        assertThat(p90).as("p90 ms of bronze on the cheap pool (sorted: %s)", Arrays.toString(cheapMillis))
            .isLessThan(450);
        assertThat(maxLatenessNanos).as("how late bronze was on the cheap pool, seen while routing").isPositive();
      }
    }
  }

  /**
   * Silver requests pinned to each pool (they teach bronze's routing nothing: lateness is kept per
   * tier), so the first answers of a cold JVM and of new connections, hundreds of milliseconds on
   * a busy machine, do not make the pools look late to bronze.
   */
  private static void warmUp(RouterFixture router) {
    for (String pool : List.of("cheap", "roomy")) {
      Metadata pinned = new Metadata();
      pinned.put(SLA_TIER, "silver");
      pinned.put(POOL, pool);
      for (int i = 0; i < 50; i++) {
        router.stub(pinned).modelInfer(request("tabular"));
      }
    }
  }

  private static ProfileEntry entry(String pool, String accelerator, double price, double ms) {
    return new ProfileEntry("1", "kserve", pool, "test", accelerator, price,
        List.of(new GridPoint(1, 1, 1000.0 / ms, ms, ms, ms, ms, 0)), null);
  }
}
