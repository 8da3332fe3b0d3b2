package dev.yardmaster.router.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: re-reads the config file when its content changes (polled, which works on every file
 * system and with Kubernetes ConfigMap symlink swaps) and hands a valid config to {@code onChange}.
 * A bad config is logged with every problem and the old one stays in force.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final RouterConfigLoader loader;
  private final Consumer<RouterConfig> onChange;
  private final ScheduledExecutorService scheduler;
  private byte[] lastContent;
  private volatile String lastError = "";

  private ConfigWatcher(Path file, RouterConfigLoader loader, Consumer<RouterConfig> onChange, byte[] content) {
    this.file = file;
    this.loader = loader;
    this.onChange = onChange;
    this.lastContent = content;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "yardmaster-config-watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Watches {@code file}, whose current content was already applied, checking every {@code
   * pollMillis}.
   */
  public static ConfigWatcher start(Path file, RouterConfigLoader loader, Consumer<RouterConfig> onChange,
      long pollMillis) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      content = new byte[0];
    }
    ConfigWatcher watcher = new ConfigWatcher(file, loader, onChange, content);
    watcher.scheduler.scheduleWithFixedDelay(watcher::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return watcher;
  }

  /** The problems of the last rejected config, empty when the last reload succeeded. */
  public String lastError() {
    return lastError;
  }

  /** Checks the file once; also what the schedule runs. */
  public synchronized void poll() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      return; // mid-swap or gone for a moment; the next poll sees it
    }
    if (Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    try {
      // relative paths (profiles, model repositories) are relative to the file, as at the first load
      Path folder = file.toAbsolutePath().getParent();
      RouterConfig config = loader.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8),
          file.toString(), folder == null ? Path.of(".") : folder);
      onChange.accept(config);
      lastError = "";
      log.info("config: reloaded {} ({} pools)", file, config.pools().size());
    } catch (ConfigException bad) {
      lastError = bad.getMessage();
      log.error("config: keeping the previous config; the new one is invalid: {}", bad.getMessage());
    } catch (RuntimeException failure) {
      lastError = failure.toString();
      log.error("config: keeping the previous config; applying the new one failed: {}", failure.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
