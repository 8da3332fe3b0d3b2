package dev.yardmaster.profiler.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The real SDK v2 PricingClient against a local Price List endpoint. */
class AwsPricingClientTest {

  static final int MAX_ATTEMPTS = 3;
  static final PriceRequest G5 = PriceRequest.of("gpu-a10g", "g5.xlarge");

  private FakePriceListServer server;
  private PriceSource aws;

  static AwsPriceListOptions.Builder fastOptions(FakePriceListServer server) {
    return AwsPriceListOptions.builder()
        .endpointOverride(server.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDFAKEFAKEFAKE", "fake-secret-key")))
        .connectTimeout(Duration.ofMillis(500))
        .socketTimeout(Duration.ofSeconds(2))
        .apiCallAttemptTimeout(Duration.ofSeconds(2))
        .apiCallTimeout(Duration.ofSeconds(5))
        .maxAttempts(MAX_ATTEMPTS)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .throttlingBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  @BeforeEach
  void start() throws Exception {
    server = FakePriceListServer.start();
    aws = PriceSource.awsPriceList(fastOptions(server).build());
  }

  @AfterEach
  void stop() {
    aws.close();
    server.close();
  }

  @Test
  void readsOnDemandHourlyPriceAndSendsTermMatchFilters() {
    server.then(
        200,
        FakePriceListServer.page(
            List.of(FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.0060000000")),
            null));

    PriceLookup lookup = aws.lookup(G5);

    assertThat(lookup.price())
        .contains(
            new InstancePrice(
                "g5.xlarge",
                "us-east-1",
                1.006,
                PriceOrigin.AWS_PRICE_LIST,
                LocalDate.of(2025, 11, 20)));
    assertThat(server.requests()).hasSize(1);
    FakePriceListServer.Recorded request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("AWSPriceListService.GetProducts");
    assertThat(request.contentType()).startsWith("application/x-amz-json-1.1");
    assertThat(request.authorization())
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE/")
        .contains("/us-east-1/pricing/aws4_request");
    JsonNode body = request.body();
    assertThat(body.path("ServiceCode").asText()).isEqualTo("AmazonEC2");
    assertThat(body.path("FormatVersion").asText()).isEqualTo("aws_v1");
    assertThat(body.has("NextToken")).isFalse();
    assertThat(filters(body))
        .containsExactlyInAnyOrder(
            "TERM_MATCH instanceType=g5.xlarge",
            "TERM_MATCH regionCode=us-east-1",
            "TERM_MATCH operatingSystem=Linux",
            "TERM_MATCH tenancy=Shared",
            "TERM_MATCH preInstalledSw=NA",
            "TERM_MATCH capacitystatus=Used");
  }

  @Test
  void followsNextTokenToTheSecondPage() {
    server
        .then(200, FakePriceListServer.page(List.of(), "page-2-token"))
        .then(
            200,
            FakePriceListServer.page(
                List.of(
                    FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.0060000000")),
                null));

    PriceLookup lookup = aws.lookup(G5);

    assertThat(lookup.price().map(InstancePrice::usdPerHour)).contains(1.006);
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).body().path("NextToken").asText())
        .isEqualTo("page-2-token");
    assertThat(filters(server.requests().get(1).body()))
        .contains("TERM_MATCH instanceType=g5.xlarge");
  }

  @Test
  void retriesThrottlingWithBackoffThenSucceeds() {
    server
        .then(400, FakePriceListServer.throttling())
        .then(400, FakePriceListServer.throttling())
        .then(
            200,
            FakePriceListServer.page(
                List.of(
                    FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.0060000000")),
                null));

    PriceLookup lookup = aws.lookup(G5);

    assertThat(lookup.price().map(InstancePrice::usdPerHour)).contains(1.006);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void reportsThrottledWhenRetriesRunOut() {
    server.always(400, FakePriceListServer.throttling());

    PriceLookup lookup = aws.lookup(G5);

    assertThat(lookup.price()).isEmpty();
    PriceMiss miss = lookup.miss().orElseThrow();
    assertThat(miss.source()).isEqualTo("aws-price-list");
    assertThat(miss.reason()).isEqualTo(MissReason.THROTTLED);
    assertThat(miss.detail())
        .isEqualTo("ThrottlingException: Rate exceeded; gave up after 3 attempts");
    assertThat(server.requests()).hasSize(MAX_ATTEMPTS);

    // Throttling is not remembered: the next lookup asks again.
    server.then(
        200,
        FakePriceListServer.page(
            List.of(FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.0060000000")),
            null));
    assertThat(aws.lookup(G5).price()).isPresent();
  }

  @Test
  void reportsMalformedDocumentThatIsNotJson() {
    server.then(200, FakePriceListServer.page(List.of("{\"product\": {"), null));

    PriceMiss miss = aws.lookup(G5).miss().orElseThrow();

    assertThat(miss.reason()).isEqualTo(MissReason.MALFORMED_DOCUMENT);
    assertThat(miss.detail()).startsWith("document 1: not JSON");
  }

  @Test
  void reportsMalformedDocumentWithoutPricePerUnit() {
    String document =
        FakePriceListServer.productDocument("g5.xlarge", "us-east-1", "1.006")
            .replace("\"USD\":\"1.006\"", "\"EUR\":\"0.9\"");
    server.then(200, FakePriceListServer.page(List.of(document), null));

    PriceMiss miss = aws.lookup(G5).miss().orElseThrow();

    assertThat(miss.reason()).isEqualTo(MissReason.MALFORMED_DOCUMENT);
    assertThat(miss.detail()).contains(".pricePerUnit.USD: missing (expected: a decimal string");
  }

  @Test
  void reportsAResponseThatIsNotJsonAsMalformed() {
    server.always(200, "<html>captive portal</html>");

    PriceMiss miss = aws.lookup(G5).miss().orElseThrow();

    assertThat(miss.reason()).isEqualTo(MissReason.MALFORMED_DOCUMENT);
  }

  @Test
  void reportsNotFoundForEmptyPriceList() {
    server.then(200, FakePriceListServer.page(List.of(), null));

    PriceMiss miss = aws.lookup(PriceRequest.of("gpu", "g5.nonexistent")).miss().orElseThrow();

    assertThat(miss.reason()).isEqualTo(MissReason.NOT_FOUND);
    assertThat(miss.detail()).contains("g5.nonexistent in us-east-1").contains("1 pages");
  }

  @Test
  void reportsRejectedCredentials() {
    server.always(
        400,
        FakePriceListServer.error(
            "UnrecognizedClientException",
            "The security token included in the request is invalid."));

    PriceMiss miss = aws.lookup(G5).miss().orElseThrow();

    assertThat(miss.reason()).isEqualTo(MissReason.BAD_CREDENTIALS);
    assertThat(miss.detail()).contains("security token");
    assertThat(server.requests()).hasSize(1);

    // Rejected credentials stay rejected: the next instance type is not asked for.
    PriceMiss next = aws.lookup(PriceRequest.of("inf2", "inf2.xlarge")).miss().orElseThrow();
    assertThat(next.reason()).isEqualTo(MissReason.BAD_CREDENTIALS);
    assertThat(next.detail()).startsWith("as before: UnrecognizedClientException");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void noCredentialsMessageDropsTheSdksDumpOfTheWholeChain() {
    String sdk = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain("
        + "credentialsProviders=[SystemPropertyCredentialsProvider(), ...]) : [SystemPropertyCredentialsProvider():"
        + " Unable to load credentials from system settings. " + "x".repeat(2000) + "]";
    assertThat(AwsPriceListSource.credentialsMessage(sdk))
        .isEqualTo("Unable to load credentials from any of the providers in the chain");
    assertThat(AwsPriceListSource.credentialsMessage("y".repeat(500))).hasSize(240).endsWith("...");
    assertThat(AwsPriceListSource.credentialsMessage(null)).isEmpty();
  }

  static List<String> filters(JsonNode body) {
    List<String> filters = new ArrayList<>();
    for (JsonNode filter : body.path("Filters")) {
      filters.add(
          filter.path("Type").asText()
              + " "
              + filter.path("Field").asText()
              + "="
              + filter.path("Value").asText());
    }
    return filters;
  }
}
