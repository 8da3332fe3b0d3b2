package dev.yardmaster.profiler.pricing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The price sources a command asks, in order, named as operators type them: {@code cache}, {@code
 * aws}, {@code offline} (e.g. {@code --price-source cache,aws,offline}). Per-pool overrides come
 * before any of them and are not part of the list.
 */
public final class PriceChain {

  /** One source a chain may name. */
  public enum Kind {
    /** The file cache of earlier AWS answers. */
    CACHE("cache"),
    /** The AWS Price List API. */
    AWS("aws"),
    /** The bundled offline table. */
    OFFLINE("offline");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    /** The word operators type. */
    public String word() {
      return word;
    }
  }

  /** The default chain: cache, AWS, offline table. */
  public static final List<Kind> DEFAULT = List.of(Kind.CACHE, Kind.AWS, Kind.OFFLINE);

  private PriceChain() {}

  /**
   * Parses a comma-separated list of source names.
   *
   * @param field the option or config key, for the error message
   * @throws IllegalArgumentException naming the unknown or repeated word
   */
  public static List<Kind> parse(String field, String text) {
    List<Kind> kinds = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String word = part.trim().toLowerCase(Locale.ROOT);
      Kind kind = null;
      for (Kind each : Kind.values()) {
        if (each.word.equals(word)) {
          kind = each;
        }
      }
      if (kind == null || kinds.contains(kind)) {
        throw new IllegalArgumentException(field + ": '" + text + "' (expected: comma-separated, each once,"
            + " from cache, aws, offline; e.g. cache,aws,offline)");
      }
      kinds.add(kind);
    }
    return List.copyOf(kinds);
  }

  /**
   * A resolver asking {@code kinds} in order. AWS answers are written to the cache file whenever
   * the chain has {@code aws}, even without {@code cache} in it.
   *
   * @param cacheFile the cache file ({@link PriceCache#defaultPath()} for the default)
   * @param aws how to reach AWS; only used when the chain has {@code aws}
   */
  public static PriceResolver resolver(List<Kind> kinds, Path cacheFile, AwsPriceListOptions aws) {
    PriceCache cache = PriceCache.file(cacheFile, PriceCache.DEFAULT_TTL, Clock.systemUTC());
    List<PriceSource> sources = new ArrayList<>();
    for (Kind kind : kinds) {
      sources.add(switch (kind) {
        case CACHE -> cache;
        case AWS -> PriceSource.awsPriceList(aws);
        case OFFLINE -> PriceSource.offlineTable();
      });
    }
    return PriceResolver.of(sources, kinds.contains(Kind.AWS) ? cache : null);
  }

  /** The words of {@code kinds}, comma-separated. */
  public static String words(List<Kind> kinds) {
    return String.join(",", kinds.stream().map(Kind::word).toList());
  }
}
