package dev.yardmaster.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher reads a changed config only once its bytes have settled, so a file caught between
 * truncate and write (empty, or cut short yet valid YAML) is never applied; polled by hand on a
 * fake clock.
 */
class ConfigWatcherSettlesTest {

  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  @TempDir Path dir;
  private Path file;
  private final AtomicLong clock = new AtomicLong();
  private final List<RouterConfig> applied = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ConfigWatcher watcher;

  @BeforeEach
  void watch() throws Exception {
    file = dir.resolve("router.yaml");
    Files.writeString(file, yaml("a", "b"));
    watcher = new ConfigWatcher(file, RouterConfigLoader.withOfflinePrices(), applied::add, SETTLE_NANOS, clock::get,
        registry, false);
  }

  @Test
  void aFileCaughtMidWriteIsNeverApplied() throws Exception {
    String full = yaml("a", "b", "c");
    Files.writeString(file, ""); // truncated
    pollAfterMillis(0);
    Files.writeString(file, full.substring(0, full.indexOf("  - name: c"))); // two pools: valid, but cut short
    pollAfterMillis(60);
    Files.writeString(file, full);
    pollAfterMillis(60);
    pollAfterMillis(60);
    assertThat(applied).isEmpty(); // the full file has been there 60 ms, not yet 100
    pollAfterMillis(40);

    assertThat(applied).singleElement()
        .satisfies(config -> assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("a", "b", "c"));
    assertThat(watcher.lastError()).isEmpty();
    assertThat(reloads("applied")).isEqualTo(1);
    assertThat(reloads("rejected")).isZero();
  }

  @Test
  void aSettledBadConfigIsRejectedOnceAndTheNextChangeApplies() throws Exception {
    Files.writeString(file, "pools:\n  - name: gpu\n    accelerator: quantum\n");
    pollAfterMillis(0);
    pollAfterMillis(100);
    pollAfterMillis(100);
    pollAfterMillis(100);

    assertThat(applied).isEmpty();
    assertThat(watcher.lastError()).contains("pools[0].accelerator: quantum (expected: gpu, inferentia or cpu)");
    assertThat(reloads("rejected")).isEqualTo(1);

    Files.writeString(file, yaml("a"));
    pollAfterMillis(0);
    pollAfterMillis(100);
    assertThat(applied).singleElement()
        .satisfies(config -> assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("a"));
    assertThat(watcher.lastError()).isEmpty();
  }

  @Test
  void aChangeUndoneBeforeItSettlesIsNotApplied() throws Exception {
    String original = Files.readString(file);
    Files.writeString(file, yaml("a"));
    pollAfterMillis(0);
    Files.writeString(file, original);
    pollAfterMillis(100);
    pollAfterMillis(100);
    assertThat(applied).isEmpty();
    assertThat(reloads("rejected")).isZero();
  }

  private void pollAfterMillis(long millis) {
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    watcher.poll();
  }

  private double reloads(String outcome) {
    return registry.get("yardmaster.config.reloads").tag("outcome", outcome).counter().count();
  }

  private static String yaml(String... pools) {
    StringBuilder yaml = new StringBuilder("server: {grpc_port: 0, metrics_port: 0}\npools:\n");
    for (String pool : pools) {
      yaml.append("  - name: ").append(pool).append("\n    accelerator: cpu\n    price_per_hour: 0.05\n")
          .append("    endpoints: [\"127.0.0.1:9\"]\n");
    }
    return yaml.toString();
  }
}
