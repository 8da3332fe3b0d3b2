package dev.yardmaster.profiler.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCacheTest {

  static final InstancePrice G5 =
      new InstancePrice(
          "g5.xlarge", "us-east-1", 1.006, PriceOrigin.AWS_PRICE_LIST, LocalDate.of(2025, 11, 20));
  static final PriceRequest G5_REQUEST = PriceRequest.of("gpu-a10g", "g5.xlarge");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));

  @Test
  void roundTripsThroughTheFileAndMarksTheOriginAsCache() throws Exception {
    Path file = dir.resolve("sub/prices.json");
    PriceCache.file(file, Duration.ofHours(24), clock).put(G5);

    // A fresh instance reads what the first one wrote.
    PriceLookup lookup = PriceCache.file(file, Duration.ofHours(24), clock).lookup(G5_REQUEST);

    assertThat(lookup.price()).contains(G5.withOrigin(PriceOrigin.CACHE));
    JsonNode json = FakePriceListServer.JSON.readTree(file.toFile());
    assertThat(json.path("format").asText()).isEqualTo("yardmaster-prices");
    assertThat(json.path("entries").get(0).path("fetched_at").asText())
        .isEqualTo("2026-11-25T08:00:00Z");
    assertThat(json.path("entries").get(0).path("origin").asText()).isEqualTo("AWS_PRICE_LIST");
  }

  @Test
  void reportsStaleAfterTheTtl() {
    PriceCache cache = PriceCache.file(dir.resolve("prices.json"), Duration.ofHours(24), clock);
    cache.put(G5);

    clock.advance(Duration.ofHours(24));
    assertThat(cache.lookup(G5_REQUEST).price()).isPresent();

    clock.advance(Duration.ofSeconds(1));
    PriceMiss miss = cache.lookup(G5_REQUEST).miss().orElseThrow();
    assertThat(miss.reason()).isEqualTo(MissReason.STALE);
    assertThat(miss.detail()).isEqualTo("fetched 2026-11-25T08:00:00Z, older than ttl PT24H");
  }

  @Test
  void replacesTheEntryForTheSameInstanceTypeAndRegionAndLeavesNoTempFiles() throws Exception {
    Path file = dir.resolve("prices.json");
    PriceCache cache = PriceCache.file(file, Duration.ofHours(24), clock);
    cache.put(G5);
    cache.put(
        new InstancePrice(
            "inf2.xlarge",
            "us-east-1",
            0.7582,
            PriceOrigin.AWS_PRICE_LIST,
            LocalDate.of(2025, 11, 20)));
    cache.put(
        new InstancePrice(
            "g5.xlarge", "us-east-1", 1.1, PriceOrigin.AWS_PRICE_LIST, LocalDate.of(2025, 12, 1)));

    assertThat(cache.lookup(G5_REQUEST).price().map(InstancePrice::usdPerHour)).contains(1.1);
    assertThat(FakePriceListServer.JSON.readTree(file.toFile()).path("entries").size())
        .isEqualTo(2);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void reportsMissingFileAndMissingEntryAsNotFound() {
    PriceCache cache = PriceCache.file(dir.resolve("prices.json"), Duration.ofHours(24), clock);
    assertThat(cache.lookup(G5_REQUEST).miss().orElseThrow().reason())
        .isEqualTo(MissReason.NOT_FOUND);

    cache.put(G5);
    PriceMiss miss = cache.lookup(PriceRequest.of("cpu", "c7g.xlarge")).miss().orElseThrow();
    assertThat(miss.reason()).isEqualTo(MissReason.NOT_FOUND);
    assertThat(miss.detail()).isEqualTo("c7g.xlarge in us-east-1 not cached");
  }

  @Test
  void reportsCorruptFileAsMalformedAndRewritesItOnPut() throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"format\": \"yardmaster-prices\", \"version\": 1, \"entries\": [");
    PriceCache cache = PriceCache.file(file, Duration.ofHours(24), clock);

    PriceMiss miss = cache.lookup(G5_REQUEST).miss().orElseThrow();
    assertThat(miss.reason()).isEqualTo(MissReason.MALFORMED_DOCUMENT);
    assertThat(miss.detail()).startsWith("cache prices.json: not JSON");

    cache.put(G5);
    assertThat(cache.lookup(G5_REQUEST).price()).isPresent();
  }

  @Test
  void defaultPathIsUnderTheUserCacheDirectory() {
    assertThat(PriceCache.defaultPath().toString()).endsWith("yardmaster/prices.json");
  }
}
