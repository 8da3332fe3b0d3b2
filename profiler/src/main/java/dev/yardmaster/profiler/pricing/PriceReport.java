package dev.yardmaster.profiler.pricing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What was resolved and what is missing, for {@code yardmaster prices} and the profile report.
 *
 * @param resolutions one per request, in request order
 */
public record PriceReport(List<PriceResolution> resolutions) {

  /** Copies the list. */
  public PriceReport {
    resolutions = List.copyOf(resolutions);
  }

  /** The price resolved for {@code pool}, if any. */
  public Optional<InstancePrice> priceOf(String pool) {
    return resolutions.stream()
        .filter(r -> r.request().pool().equals(pool))
        .findFirst()
        .flatMap(PriceResolution::found);
  }

  /** Requests no source could price. */
  public List<PriceResolution> missing() {
    return resolutions.stream().filter(r -> r.price() == null).toList();
  }

  /**
   * A plain-text table, one row per pool, then why each price did not come from an earlier source,
   * then what is missing:
   *
   * <pre>
   * pool      instance     region     usd/hour  source          as of
   * gpu-a10g  g5.xlarge    us-east-1    1.0060  offline-table   2025-06-01
   *   aws-price-list: no credentials (Unable to load credentials ...)
   * missing: 1 of 2
   *   tpu  x9.huge  us-east-1: aws-price-list: not found (...); offline-table: not found (...)
   * </pre>
   */
  public String render() {
    int poolWidth = width("pool", resolutions.stream().map(r -> r.request().pool()).toList());
    int typeWidth =
        width("instance", resolutions.stream().map(r -> r.request().instanceType()).toList());
    int regionWidth = width("region", resolutions.stream().map(r -> r.request().region()).toList());
    String rowFormat =
        "%-" + poolWidth + "s  %-" + typeWidth + "s  %-" + regionWidth + "s  %9s  %-14s  %s%n";
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT, rowFormat, "pool", "instance", "region", "usd/hour", "source", "as of"));
    for (PriceResolution resolution : resolutions) {
      PriceRequest request = resolution.request();
      InstancePrice price = resolution.price();
      if (price == null) {
        out.append(
            String.format(
                Locale.ROOT,
                rowFormat,
                request.pool(),
                request.instanceType(),
                request.region(),
                "-",
                "missing",
                "-"));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              rowFormat,
              request.pool(),
              request.instanceType(),
              request.region(),
              String.format(Locale.ROOT, "%.4f", price.usdPerHour()),
              price.origin().label(),
              price.asOf()));
      for (PriceMiss miss : resolution.reportableMisses()) {
        out.append("  ").append(miss).append('\n');
      }
    }
    List<PriceResolution> missing = missing();
    if (!missing.isEmpty()) {
      out.append("missing: ")
          .append(missing.size())
          .append(" of ")
          .append(resolutions.size())
          .append('\n');
      for (PriceResolution resolution : missing) {
        PriceRequest request = resolution.request();
        out.append("  ")
            .append(request.pool())
            .append("  ")
            .append(request.instanceType())
            .append("  ")
            .append(request.region())
            .append(": ");
        List<PriceMiss> misses = resolution.reportableMisses();
        for (int i = 0; i < misses.size(); i++) {
          out.append(i == 0 ? "" : "; ").append(misses.get(i));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static int width(String header, List<String> values) {
    int width = header.length();
    for (String value : values) {
      width = Math.max(width, value.length());
    }
    return width;
  }
}
