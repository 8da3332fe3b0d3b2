package dev.yardmaster.profiler.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The standard chain: override > cache > AWS Price List (local fake) > offline table. */
class PriceResolverTest {

  static final LocalDate CONFIG_DATE = LocalDate.of(2026, 11, 25);
  static final PriceRequest GPU = PriceRequest.of("gpu-a10g", "g5.xlarge");
  static final PriceRequest INF2 = PriceRequest.of("inf2", "inf2.xlarge");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
  FakePriceListServer server;

  @BeforeEach
  void start() throws Exception {
    server = FakePriceListServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  PriceResolver resolver(Map<String, Double> overrides, AwsPriceListOptions aws) {
    return PriceResolver.standard(
        PriceSource.overrides(overrides, CONFIG_DATE),
        PriceCache.file(dir.resolve("prices.json"), Duration.ofDays(7), clock),
        PriceSource.awsPriceList(aws),
        PriceSource.offlineTable());
  }

  @Test
  void overrideWinsWithoutAskingAws() {
    try (PriceResolver resolver =
        resolver(Map.of("gpu-a10g", 0.42), AwsPricingClientTest.fastOptions(server).build())) {
      PriceResolution resolution = resolver.resolve(GPU);

      assertThat(resolution.price())
          .isEqualTo(
              new InstancePrice("g5.xlarge", "us-east-1", 0.42, PriceOrigin.OVERRIDE, CONFIG_DATE));
      assertThat(resolution.misses()).isEmpty();
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void awsPriceIsCachedAndTheNextRunReadsTheCache() {
    server.then(
        200,
        FakePriceListServer.page(
            List.of(FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.0060000000")),
            null));
    try (PriceResolver resolver =
        resolver(Map.of(), AwsPricingClientTest.fastOptions(server).build())) {
      PriceResolution first = resolver.resolve(GPU);
      assertThat(first.price().origin()).isEqualTo(PriceOrigin.AWS_PRICE_LIST);
      assertThat(first.reportableMisses())
          .extracting(PriceMiss::reason)
          .containsExactly(MissReason.NOT_FOUND); // empty cache

      PriceResolution second = resolver.resolve(GPU);
      assertThat(second.price().origin()).isEqualTo(PriceOrigin.CACHE);
      assertThat(second.price().usdPerHour()).isEqualTo(1.006);
      assertThat(server.requests()).hasSize(1);

      // Past the TTL the cache is stale and AWS is asked again.
      clock.advance(Duration.ofDays(8));
      server.then(
          200,
          FakePriceListServer.page(
              List.of(
                  FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.1000000000")),
              null));
      PriceResolution third = resolver.resolve(GPU);
      assertThat(third.price().usdPerHour()).isEqualTo(1.1);
      assertThat(third.reportableMisses())
          .extracting(PriceMiss::reason)
          .containsExactly(MissReason.STALE);
    }
  }

  @Test
  void noCredentialsFallsBackToTheOfflineTableWithTheReason() {
    AwsCredentialsProvider none =
        () -> {
          throw SdkClientException.create(
              "Unable to load credentials from any of the providers in the chain");
        };
    try (PriceResolver resolver =
        resolver(
            Map.of(), AwsPricingClientTest.fastOptions(server).credentialsProvider(none).build())) {
      PriceResolution resolution = resolver.resolve(INF2);

      assertThat(resolution.price().origin()).isEqualTo(PriceOrigin.OFFLINE_TABLE);
      assertThat(resolution.price().usdPerHour()).isEqualTo(0.7582);
      assertThat(resolution.reportableMisses())
          .containsExactly(
              new PriceMiss(
                  "cache", MissReason.NOT_FOUND, "no cache file " + dir.resolve("prices.json")),
              new PriceMiss(
                  "aws-price-list",
                  MissReason.NO_CREDENTIALS,
                  "Unable to load credentials from any of the providers in the chain"));
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void unreachableEndpointFallsBackToTheOfflineTableWithTheReason() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    AwsPriceListOptions options =
        AwsPricingClientTest.fastOptions(server)
            .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
            .build();
    try (PriceResolver resolver = resolver(Map.of(), options)) {
      PriceResolution resolution = resolver.resolve(GPU);

      assertThat(resolution.price().origin()).isEqualTo(PriceOrigin.OFFLINE_TABLE);
      PriceMiss aws = resolution.reportableMisses().get(1);
      assertThat(aws.reason()).isEqualTo(MissReason.UNREACHABLE);
      assertThat(aws.detail()).startsWith("http://127.0.0.1:" + closedPort + ": ");
    }
  }

  @Test
  void reportSaysWhatIsMissingAndWhy() {
    server.always(400, FakePriceListServer.throttling());
    try (PriceResolver resolver =
        resolver(Map.of("cpu-local", 0.2), AwsPricingClientTest.fastOptions(server).build())) {
      PriceReport report =
          resolver.resolveAll(
              List.of(
                  PriceRequest.of("cpu-local", "c7g.xlarge"),
                  GPU,
                  PriceRequest.of("tpu", "x9.huge")));

      assertThat(report.priceOf("cpu-local").map(InstancePrice::usdPerHour)).contains(0.2);
      assertThat(report.priceOf("gpu-a10g").map(InstancePrice::origin))
          .contains(PriceOrigin.OFFLINE_TABLE);
      assertThat(report.missing()).extracting(r -> r.request().pool()).containsExactly("tpu");
      String text = report.render();
      assertThat(text)
          .contains("cpu-local  c7g.xlarge  us-east-1     0.2000  override")
          .contains("gpu-a10g   g5.xlarge   us-east-1     1.0060  offline-table   2025-06-01")
          .contains(
              "  aws-price-list: throttled (ThrottlingException: Rate exceeded; gave up after 3"
                  + " attempts)")
          .contains("missing: 1 of 3")
          .contains("  tpu  x9.huge  us-east-1: cache: not found");
      assertThat(text).doesNotContain("not configured");
    }
  }
}
