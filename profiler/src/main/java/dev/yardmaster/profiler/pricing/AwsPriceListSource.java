package dev.yardmaster.profiler.pricing;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.PricingClientBuilder;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;
import software.amazon.awssdk.services.pricing.model.GetProductsResponse;
import software.amazon.awssdk.services.pricing.model.NotFoundException;

/**
 * GetProducts on {@code AmazonEC2} for one instance type and region, Linux, shared tenancy, no
 * pre-installed software, capacity used; follows NextToken; reads the on-demand hourly price.
 */
final class AwsPriceListSource implements PriceSource {

  static final String SERVICE_CODE = "AmazonEC2";
  private static final Set<String> CREDENTIAL_ERRORS =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "InvalidClientTokenId",
          "ExpiredTokenException",
          "AccessDeniedException");

  private final AwsPriceListOptions options;
  private final PricingClient client;
  // A failure that will not go away for the next instance type (no or bad credentials, no
  // route to the endpoint) is remembered, so pricing ten pools does not wait out ten timeouts.
  private volatile @Nullable PriceMiss lastingMiss;

  AwsPriceListSource(AwsPriceListOptions options) {
    this.options = options;
    this.client = buildClient(options);
  }

  private static PricingClient buildClient(AwsPriceListOptions options) {
    RetryStrategy retryStrategy =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(options.maxAttempts())
            .backoffStrategy(
                BackoffStrategy.exponentialDelay(options.baseBackoff(), options.maxBackoff()))
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelay(
                    options.throttlingBaseBackoff(), options.throttlingMaxBackoff()))
            .build();
    PricingClientBuilder builder =
        PricingClient.builder()
            .region(options.endpointRegion())
            .credentialsProvider(options.credentialsProvider())
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .connectionTimeout(options.connectTimeout())
                    .socketTimeout(options.socketTimeout()))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(retryStrategy)
                    .apiCallAttemptTimeout(options.apiCallAttemptTimeout())
                    .apiCallTimeout(options.apiCallTimeout())
                    .build());
    if (options.endpointOverride() != null) {
      builder.endpointOverride(options.endpointOverride());
    }
    return builder.build();
  }

  /** The GetProducts request for {@code request}; visible for tests. */
  static GetProductsRequest productsRequest(PriceRequest request) {
    return GetProductsRequest.builder()
        .serviceCode(SERVICE_CODE)
        .formatVersion("aws_v1")
        .maxResults(100)
        .filters(
            termMatch("instanceType", request.instanceType()),
            termMatch("regionCode", request.region()),
            termMatch("operatingSystem", "Linux"),
            termMatch("tenancy", "Shared"),
            termMatch("preInstalledSw", "NA"),
            termMatch("capacitystatus", "Used"))
        .build();
  }

  private static Filter termMatch(String field, String value) {
    return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
  }

  @Override
  public String name() {
    return PriceOrigin.AWS_PRICE_LIST.label();
  }

  @Override
  public PriceLookup lookup(PriceRequest request) {
    PriceMiss earlier = lastingMiss;
    if (earlier != null) {
      return PriceLookup.missed(name(), earlier.reason(), "as before: " + earlier.detail());
    }
    PriceLookup lookup = ask(request);
    lookup
        .miss()
        .filter(
            miss ->
                miss.reason() == MissReason.NO_CREDENTIALS
                    || miss.reason() == MissReason.BAD_CREDENTIALS
                    || miss.reason() == MissReason.UNREACHABLE)
        .ifPresent(miss -> lastingMiss = miss);
    return lookup;
  }

  private PriceLookup ask(PriceRequest request) {
    try {
      options.credentialsProvider().resolveCredentials();
    } catch (RuntimeException e) {
      return PriceLookup.missed(name(), MissReason.NO_CREDENTIALS, credentialsMessage(e.getMessage()));
    }
    try {
      return fetch(request);
    } catch (AwsServiceException e) {
      return serviceMiss(e);
    } catch (SdkClientException e) {
      return clientMiss(e);
    }
  }

  private PriceLookup fetch(PriceRequest request) {
    int documents = 0;
    int pages = 0;
    List<String> malformed = new ArrayList<>();
    PriceListDocuments.@Nullable OnDemandPrice best = null;
    Iterator<GetProductsResponse> responses =
        client.getProductsPaginator(productsRequest(request)).iterator();
    while (responses.hasNext()) {
      if (pages == options.maxPages()) {
        break;
      }
      GetProductsResponse page = responses.next();
      pages++;
      for (String document : page.priceList()) {
        documents++;
        try {
          Optional<PriceListDocuments.OnDemandPrice> price =
              PriceListDocuments.onDemandUsdPerHour(document, request.instanceType());
          if (price.isPresent() && (best == null || price.get().usdPerHour() > best.usdPerHour())) {
            best = price.get();
          }
        } catch (PriceListDocuments.MalformedDocumentException e) {
          malformed.add("document " + documents + ": " + e.getMessage());
        }
      }
    }
    if (best != null) {
      LocalDate asOf =
          best.publicationDate() != null ? best.publicationDate() : LocalDate.now(options.clock());
      return PriceLookup.found(
          new InstancePrice(
              request.instanceType(),
              request.region(),
              best.usdPerHour(),
              PriceOrigin.AWS_PRICE_LIST,
              asOf));
    }
    if (!malformed.isEmpty()) {
      return PriceLookup.missed(name(), MissReason.MALFORMED_DOCUMENT, malformed.get(0));
    }
    return PriceLookup.missed(
        name(),
        MissReason.NOT_FOUND,
        "no on-demand Linux price for "
            + request.instanceType()
            + " in "
            + request.region()
            + " ("
            + documents
            + " documents, "
            + pages
            + " pages)");
  }

  private PriceLookup serviceMiss(AwsServiceException e) {
    String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    String detail =
        (code != null ? code + ": " : "")
            + firstLine(
                e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                    ? e.awsErrorDetails().errorMessage()
                    : e.getMessage());
    if (e.isThrottlingException()) {
      Integer attempts = e.numAttempts();
      return PriceLookup.missed(
          name(),
          MissReason.THROTTLED,
          detail
              + "; gave up after "
              + (attempts != null ? attempts : options.maxAttempts())
              + " attempts");
    }
    if (e instanceof NotFoundException) {
      return PriceLookup.missed(name(), MissReason.NOT_FOUND, detail);
    }
    if (e.statusCode() == 401 || e.statusCode() == 403 || CREDENTIAL_ERRORS.contains(code)) {
      return PriceLookup.missed(name(), MissReason.BAD_CREDENTIALS, detail);
    }
    return PriceLookup.missed(name(), MissReason.ERROR, "HTTP " + e.statusCode() + " " + detail);
  }

  private PriceLookup clientMiss(SdkClientException e) {
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return PriceLookup.missed(name(), MissReason.UNREACHABLE, firstLine(e.getMessage()));
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof SocketTimeoutException
          || cause instanceof InterruptedIOException) {
        return PriceLookup.missed(
            name(),
            MissReason.UNREACHABLE,
            endpointText() + ": " + cause.getClass().getSimpleName() + " " + cause.getMessage());
      }
    }
    String message = firstLine(e.getMessage());
    if (message.contains("credentials")) {
      return PriceLookup.missed(name(), MissReason.NO_CREDENTIALS, message);
    }
    if (message.contains("Unable to unmarshall") || message.contains("parse")) {
      return PriceLookup.missed(name(), MissReason.MALFORMED_DOCUMENT, message);
    }
    return PriceLookup.missed(name(), MissReason.ERROR, message);
  }

  private String endpointText() {
    return options.endpointOverride() != null
        ? options.endpointOverride().toString()
        : "pricing." + options.endpointRegion().id() + ".amazonaws.com";
  }

  /**
   * The SDK's "no credentials" message without the dump of every provider in the default chain
   * (kilobytes on one line): the sentence, then the first provider-specific reason for a named profile.
   */
  static String credentialsMessage(@Nullable String message) {
    String line = firstLine(message);
    int chain = line.indexOf(" AwsCredentialsProviderChain(");
    String text = chain < 0 ? line : line.substring(0, chain);
    return text.length() <= 240 ? text : text.substring(0, 237) + "...";
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    client.close();
  }
}
