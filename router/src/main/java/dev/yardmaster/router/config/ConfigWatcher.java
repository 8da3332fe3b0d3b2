package dev.yardmaster.router.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: re-reads the config file when its content changes (polled, which works on every file
 * system and with Kubernetes ConfigMap symlink swaps) and hands a valid config to {@code onChange}.
 *
 * <p>A change is acted on only once the file has kept the same bytes for a settle delay: an editor,
 * {@code kubectl cp} or a plain {@code >} truncates the file and then writes it, and a poll in
 * between would read an empty or half file, which may even parse (a pool list cut short). A bad
 * config is logged with every problem, counted ({@code yardmaster_config_reloads_total{outcome=
 * "rejected"}}), and the old one stays in force until the file changes again.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
  /** The shortest time a change must stay unchanged before it is read as a config. */
  static final long MIN_SETTLE_MILLIS = 100;

  private final Path file;
  private final RouterConfigLoader loader;
  private final Consumer<RouterConfig> onChange;
  private final long settleNanos;
  private final LongSupplier nanoClock;
  private final Counter applied;
  private final Counter rejected;
  private final @Nullable ScheduledExecutorService scheduler;
  private byte[] lastContent;
  /** A change seen but not yet settled: its bytes and when they were first seen; null when none. */
  private byte @Nullable [] pending;
  private long pendingSinceNanos;
  private volatile String lastError = "";

  ConfigWatcher(Path file, RouterConfigLoader loader, Consumer<RouterConfig> onChange, long settleNanos,
      LongSupplier nanoClock, MeterRegistry registry, boolean scheduled) {
    this.file = file;
    this.loader = loader;
    this.onChange = onChange;
    this.settleNanos = settleNanos;
    this.nanoClock = nanoClock;
    this.lastContent = read(file);
    this.applied = reloads(registry, "applied");
    this.rejected = reloads(registry, "rejected");
    this.scheduler = !scheduled ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "yardmaster-config-watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Watches {@code file}, whose current content was already applied, checking every {@code
   * pollMillis}; a change is applied once it has stayed the same for {@code max(pollMillis, 100 ms)}.
   */
  public static ConfigWatcher start(Path file, RouterConfigLoader loader, Consumer<RouterConfig> onChange,
      long pollMillis) {
    return start(file, loader, onChange, pollMillis, new SimpleMeterRegistry());
  }

  /** As {@link #start(Path, RouterConfigLoader, Consumer, long)}, counting reloads in {@code registry}. */
  public static ConfigWatcher start(Path file, RouterConfigLoader loader, Consumer<RouterConfig> onChange,
      long pollMillis, MeterRegistry registry) {
    long settleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(pollMillis, MIN_SETTLE_MILLIS));
    ConfigWatcher watcher = new ConfigWatcher(file, loader, onChange, settleNanos, System::nanoTime, registry, true);
    watcher.scheduler.scheduleWithFixedDelay(watcher::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return watcher;
  }

  private static Counter reloads(MeterRegistry registry, String outcome) {
    return Counter.builder("yardmaster.config.reloads")
        .description("Config file changes applied, or rejected (invalid, or failed to apply; the old config stays)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** The problems of the last rejected config, empty when the last reload succeeded. */
  public String lastError() {
    return lastError;
  }

  /** Changes applied and rejected so far. */
  long appliedReloads() {
    return (long) applied.count();
  }

  long rejectedReloads() {
    return (long) rejected.count();
  }

  /** Checks the file once; also what the schedule runs. */
  public synchronized void poll() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      return; // mid-swap or gone for a moment; the next poll sees it
    }
    long now = nanoClock.getAsLong();
    if (Arrays.equals(content, lastContent)) {
      pending = null; // changed and changed back before it settled
      return;
    }
    if (pending == null || !Arrays.equals(content, pending)) {
      pending = content; // still being written, maybe: wait until it stays the same
      pendingSinceNanos = now;
      return;
    }
    if (now - pendingSinceNanos < settleNanos) {
      return;
    }
    pending = null;
    lastContent = content;
    apply(content);
  }

  private void apply(byte[] content) {
    try {
      // relative paths (profiles, model repositories) are relative to the file, as at the first load
      Path folder = file.toAbsolutePath().getParent();
      RouterConfig config = loader.parse(new String(content, StandardCharsets.UTF_8), file.toString(),
          folder == null ? Path.of(".") : folder);
      onChange.accept(config);
      applied.increment(); // counted before the outcome is published: who sees lastError sees the count
      lastError = "";
      log.info("config: reloaded {} ({} pools)", file, config.pools().size());
    } catch (ConfigException bad) {
      rejected.increment();
      lastError = bad.getMessage();
      log.error("config: keeping the previous config; the new one is invalid: {}", bad.getMessage());
    } catch (RuntimeException failure) {
      rejected.increment();
      lastError = failure.toString();
      log.error("config: keeping the previous config; applying the new one failed: {}", failure.toString());
    }
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
