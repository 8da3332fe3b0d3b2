package dev.yardmaster.profiler.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Map;

/**
 * One place prices come from. A lookup never throws for a missing price: it returns a {@link
 * PriceLookup} whose miss names the reason, so a {@link PriceResolver} can fall through to the next
 * source and a report can say what is missing and why.
 */
public interface PriceSource extends AutoCloseable {

  /** Short name used in reports, e.g. {@code aws-price-list}. */
  String name();

  /** Looks up the hourly price for {@code request}. */
  PriceLookup lookup(PriceRequest request);

  /** Releases clients or files; the default holds nothing. */
  @Override
  default void close() {}

  /**
   * Per-pool prices set by operators ({@code price_per_hour}); they win over every other source.
   *
   * @param usdPerHourByPool pool name to USD per hour
   * @param asOf the date reported for these prices (usually the config's load date)
   */
  static PriceSource overrides(Map<String, Double> usdPerHourByPool, LocalDate asOf) {
    return new OverridePriceSource(usdPerHourByPool, asOf);
  }

  /** The offline table bundled with Yardmaster ({@code offline-prices.json}). */
  static PriceSource offlineTable() {
    return OfflinePriceTable.bundled();
  }

  /** An offline table in the bundled format read from {@code json}. */
  static PriceSource offlineTable(InputStream json) throws IOException {
    return OfflinePriceTable.read(json, "offline table");
  }

  /** The AWS Price List API (GetProducts on AmazonEC2), configured by {@code options}. */
  static PriceSource awsPriceList(AwsPriceListOptions options) {
    return new AwsPriceListSource(options);
  }
}
