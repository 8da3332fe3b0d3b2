package dev.yardmaster.profiler.pricing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A price source that also remembers prices fetched from AWS, so the next run needs no network.
 * Entries older than the TTL are reported as {@link MissReason#STALE}.
 */
public interface PriceCache extends PriceSource {

  /** The default TTL: AWS updates EC2 on-demand prices rarely, a week is plenty fresh. */
  Duration DEFAULT_TTL = Duration.ofDays(7);

  /**
   * Stores {@code price} (fetched now) and persists it; failures to write are reported, not thrown.
   */
  void put(InstancePrice price);

  /**
   * A JSON file cache, rewritten atomically (temp file, fsync, rename) on every {@link #put}.
   *
   * @param file the cache file; created with its directories on first write
   * @param ttl how long an entry stays fresh, > 0
   * @param clock when "now" is (tests pass a fake one)
   */
  static PriceCache file(Path file, Duration ttl, Clock clock) {
    return new FilePriceCache(file, ttl, clock);
  }

  /** {@code ~/.cache/yardmaster/prices.json} ({@code $XDG_CACHE_HOME} when set). */
  static Path defaultPath() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("yardmaster").resolve("prices.json");
  }
}
