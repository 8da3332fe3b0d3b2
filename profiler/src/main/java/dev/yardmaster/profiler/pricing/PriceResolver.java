package dev.yardmaster.profiler.pricing;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Asks each source in order and takes the first price: override, file cache, AWS Price List,
 * offline table. Prices fetched from AWS are written to the cache. Every miss is kept with its
 * reason.
 */
public final class PriceResolver implements AutoCloseable {

  private final List<PriceSource> chain;
  private final @Nullable PriceCache cache;

  private PriceResolver(List<PriceSource> chain, @Nullable PriceCache cache) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: [] (expected: at least one price source)");
    }
    this.chain = List.copyOf(chain);
    this.cache = cache;
  }

  /**
   * The standard chain.
   *
   * @param overrides per-pool prices ({@link PriceSource#overrides})
   * @param cache file cache, also filled with AWS results
   * @param awsPriceList the AWS source ({@link PriceSource#awsPriceList})
   * @param offlineTable the last resort ({@link PriceSource#offlineTable()})
   */
  public static PriceResolver standard(
      PriceSource overrides, PriceCache cache, PriceSource awsPriceList, PriceSource offlineTable) {
    return new PriceResolver(List.of(overrides, cache, awsPriceList, offlineTable), cache);
  }

  /** Any chain, asked in order; nothing is cached. */
  public static PriceResolver of(List<PriceSource> chain) {
    return new PriceResolver(chain, null);
  }

  /**
   * Any chain, asked in order; prices fetched from AWS are written to {@code cache} (which need not
   * be in the chain, e.g. when a run must not read stale prices but may refresh them).
   */
  public static PriceResolver of(List<PriceSource> chain, @Nullable PriceCache cache) {
    return new PriceResolver(chain, cache);
  }

  /** The sources in the order they are asked. */
  public List<PriceSource> chain() {
    return chain;
  }

  /** Resolves one request. */
  public PriceResolution resolve(PriceRequest request) {
    List<PriceMiss> misses = new ArrayList<>();
    for (PriceSource source : chain) {
      PriceLookup lookup = source.lookup(request);
      if (lookup.price().isPresent()) {
        InstancePrice price = lookup.price().get();
        if (cache != null && price.origin() == PriceOrigin.AWS_PRICE_LIST) {
          cache.put(price);
        }
        return new PriceResolution(request, price, misses);
      }
      misses.add(lookup.miss().orElseThrow());
    }
    return new PriceResolution(request, null, misses);
  }

  /** Resolves each request, in order, into a report. */
  public PriceReport resolveAll(List<PriceRequest> requests) {
    List<PriceResolution> resolutions = new ArrayList<>(requests.size());
    for (PriceRequest request : requests) {
      resolutions.add(resolve(request));
    }
    return new PriceReport(resolutions);
  }

  /** Closes every source (the AWS client above all). */
  @Override
  public void close() {
    for (PriceSource source : chain) {
      source.close();
    }
  }
}
