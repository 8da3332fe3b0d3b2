package dev.yardmaster.profiler.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The bundled table of on-demand Linux prices: {@code {"source": .., "as_of": "YYYY-MM-DD",
 * "prices": {"<region>": {"<instance type>": <usd per hour>}}}}.
 */
final class OfflinePriceTable implements PriceSource {

  static final String RESOURCE = "offline-prices.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String source;
  private final LocalDate asOf;
  private final Map<String, Map<String, Double>> usdByRegionAndType;

  private OfflinePriceTable(
      String source, LocalDate asOf, Map<String, Map<String, Double>> usdByRegionAndType) {
    this.source = source;
    this.asOf = asOf;
    this.usdByRegionAndType = usdByRegionAndType;
  }

  static OfflinePriceTable bundled() {
    try (InputStream in = OfflinePriceTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + ": missing (expected: on the classpath)");
      }
      return read(in, RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static OfflinePriceTable read(InputStream json, String where) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    if (root == null || !root.isObject()) {
      throw new IOException(where + ": not an object (expected: a JSON object)");
    }
    String source = root.path("source").asText("");
    if (source.isBlank()) {
      throw new IOException(where + ": source: missing (expected: where the prices come from)");
    }
    LocalDate asOf;
    try {
      asOf = LocalDate.parse(root.path("as_of").asText(""));
    } catch (DateTimeParseException e) {
      throw new IOException(
          where + ": as_of: '" + root.path("as_of").asText("") + "' (expected: YYYY-MM-DD)", e);
    }
    JsonNode prices = root.path("prices");
    if (!prices.isObject()) {
      throw new IOException(where + ": prices: missing (expected: {region: {type: usd}})");
    }
    Map<String, Map<String, Double>> byRegion = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> regions = prices.fields(); regions.hasNext(); ) {
      Map.Entry<String, JsonNode> region = regions.next();
      Map<String, Double> byType = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> types = region.getValue().fields();
          types.hasNext(); ) {
        Map.Entry<String, JsonNode> type = types.next();
        JsonNode usd = type.getValue();
        if (!usd.isNumber() || usd.asDouble() < 0) {
          throw new IOException(
              where
                  + ": prices."
                  + region.getKey()
                  + "."
                  + type.getKey()
                  + ": "
                  + usd
                  + " (expected: a number >= 0)");
        }
        byType.put(type.getKey(), usd.asDouble());
      }
      byRegion.put(region.getKey(), Map.copyOf(byType));
    }
    return new OfflinePriceTable(source, asOf, Map.copyOf(byRegion));
  }

  /** Where the table's numbers come from, as written in the table. */
  String source() {
    return source;
  }

  @Override
  public String name() {
    return PriceOrigin.OFFLINE_TABLE.label();
  }

  @Override
  public PriceLookup lookup(PriceRequest request) {
    Map<String, Double> byType = usdByRegionAndType.get(request.region());
    if (byType == null) {
      return PriceLookup.missed(
          name(),
          MissReason.NOT_FOUND,
          "region "
              + request.region()
              + " not in table (has: "
              + String.join(", ", new TreeSet<>(usdByRegionAndType.keySet()))
              + ")");
    }
    Double usd = byType.get(request.instanceType());
    if (usd == null) {
      return PriceLookup.missed(
          name(),
          MissReason.NOT_FOUND,
          request.instanceType() + " not in table for " + request.region());
    }
    return PriceLookup.found(
        new InstancePrice(
            request.instanceType(), request.region(), usd, PriceOrigin.OFFLINE_TABLE, asOf));
  }
}
