package dev.yardmaster.profiler.pricing;

import dev.yardmaster.backend.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code {"format": "yardmaster-prices", "version": 1, "entries": [{"instance_type", "region",
 * "usd_per_hour", "origin", "as_of", "fetched_at"}]}}.
 */
final class FilePriceCache implements PriceCache {

  static final String FORMAT = "yardmaster-prices";
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One cached price and when it was fetched. */
  record Entry(InstancePrice price, PriceOrigin fetchedFrom, Instant fetchedAt) {}

  private final Path file;
  private final Duration ttl;
  private final Clock clock;

  FilePriceCache(Path file, Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    this.file = file;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public String name() {
    return PriceOrigin.CACHE.label();
  }

  @Override
  public synchronized PriceLookup lookup(PriceRequest request) {
    List<Entry> entries;
    try {
      entries = readEntries();
    } catch (NoSuchFileException e) {
      return PriceLookup.missed(name(), MissReason.NOT_FOUND, "no cache file " + file);
    } catch (IOException e) {
      return PriceLookup.missed(name(), MissReason.MALFORMED_DOCUMENT, e.getMessage());
    }
    for (Entry entry : entries) {
      InstancePrice price = entry.price();
      if (price.instanceType().equals(request.instanceType())
          && price.region().equals(request.region())) {
        Instant now = clock.instant();
        if (entry.fetchedAt().plus(ttl).isBefore(now)) {
          return PriceLookup.missed(
              name(), MissReason.STALE, "fetched " + entry.fetchedAt() + ", older than ttl " + ttl);
        }
        return PriceLookup.found(price.withOrigin(PriceOrigin.CACHE));
      }
    }
    return PriceLookup.missed(
        name(),
        MissReason.NOT_FOUND,
        request.instanceType() + " in " + request.region() + " not cached");
  }

  @Override
  public synchronized void put(InstancePrice price) {
    List<Entry> entries;
    try {
      entries = new ArrayList<>(readEntries());
    } catch (IOException e) {
      entries = new ArrayList<>(); // missing or unreadable: start over
    }
    entries.removeIf(
        entry ->
            entry.price().instanceType().equals(price.instanceType())
                && entry.price().region().equals(price.region()));
    entries.add(new Entry(price, price.origin(), clock.instant()));
    try {
      writeAtomically(toJson(entries));
    } catch (IOException e) {
      // A cache that cannot be written only costs the next run a fetch.
      System.err.println("price cache " + file + ": not written (" + e.getMessage() + ")");
    }
  }

  List<Entry> readEntries() throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String where = "cache " + file.getFileName();
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(where + ": not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(where + ": format: missing (expected: " + FORMAT + ")");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IOException(
          where + ": version: " + root.path("version") + " (expected: " + VERSION + ")");
    }
    List<Entry> entries = new ArrayList<>();
    JsonNode array = root.path("entries");
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      try {
        InstancePrice price =
            new InstancePrice(
                node.path("instance_type").asText(""),
                node.path("region").asText(""),
                node.path("usd_per_hour").asDouble(Double.NaN),
                PriceOrigin.CACHE,
                LocalDate.parse(node.path("as_of").asText("")));
        entries.add(
            new Entry(
                price,
                PriceOrigin.valueOf(node.path("origin").asText(PriceOrigin.AWS_PRICE_LIST.name())),
                Instant.parse(node.path("fetched_at").asText(""))));
      } catch (RuntimeException e) {
        throw new IOException(where + ": entries[" + i + "]: " + e.getMessage(), e);
      }
    }
    return entries;
  }

  private static String toJson(List<Entry> entries) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ArrayNode array = root.putArray("entries");
    for (Entry entry : entries) {
      InstancePrice price = entry.price();
      array
          .addObject()
          .put("instance_type", price.instanceType())
          .put("region", price.region())
          .put("usd_per_hour", price.usdPerHour())
          .put("origin", entry.fetchedFrom().name())
          .put("as_of", price.asOf().toString())
          .put("fetched_at", entry.fetchedAt().toString());
    }
    return MAPPER.writeValueAsString(root);
  }

  private void writeAtomically(String json) throws IOException {
    AtomicFiles.writeString(file, json);
  }

}
