package dev.yardmaster.profiler.pricing;

/** Where a price came from; reports show it next to the number. */
public enum PriceOrigin {
  /** Fetched just now from the AWS Price List API (GetProducts). */
  AWS_PRICE_LIST("aws-price-list"),
  /** Read from the local price cache file, fetched earlier from AWS and still fresh. */
  CACHE("cache"),
  /** The table bundled with Yardmaster; see its {@code source} and {@code as_of}. */
  OFFLINE_TABLE("offline-table"),
  /** An operator's {@code price_per_hour} for one pool. */
  OVERRIDE("override");

  private final String label;

  PriceOrigin(String label) {
    this.label = label;
  }

  /** Lower-case, hyphenated name used in reports and the cache file. */
  public String label() {
    return label;
  }
}
