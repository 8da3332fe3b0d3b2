package dev.yardmaster.profiler.pricing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * How to reach the AWS Price List API: endpoint, credentials, timeouts and retry policy. Defaults
 * suit the real service; tests point {@link Builder#endpointOverride} at a local server.
 */
public final class AwsPriceListOptions {

  private final @Nullable URI endpointOverride;
  private final Region endpointRegion;
  private final AwsCredentialsProvider credentialsProvider;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Duration apiCallAttemptTimeout;
  private final Duration apiCallTimeout;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Duration throttlingBaseBackoff;
  private final Duration throttlingMaxBackoff;
  private final int maxPages;
  private final Clock clock;

  private AwsPriceListOptions(Builder b) {
    this.endpointOverride = b.endpointOverride;
    this.endpointRegion = b.endpointRegion;
    this.credentialsProvider =
        b.credentialsProvider != null
            ? b.credentialsProvider
            : DefaultCredentialsProvider.builder().build();
    this.connectTimeout = b.connectTimeout;
    this.socketTimeout = b.socketTimeout;
    this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
    this.apiCallTimeout = b.apiCallTimeout;
    this.maxAttempts = b.maxAttempts;
    this.baseBackoff = b.baseBackoff;
    this.maxBackoff = b.maxBackoff;
    this.throttlingBaseBackoff = b.throttlingBaseBackoff;
    this.throttlingMaxBackoff = b.throttlingMaxBackoff;
    this.maxPages = b.maxPages;
    this.clock = b.clock;
  }

  /** Options with the defaults: the real endpoint in us-east-1, the default credentials chain. */
  public static AwsPriceListOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  public @Nullable URI endpointOverride() {
    return endpointOverride;
  }

  public Region endpointRegion() {
    return endpointRegion;
  }

  public AwsCredentialsProvider credentialsProvider() {
    return credentialsProvider;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration socketTimeout() {
    return socketTimeout;
  }

  public Duration apiCallAttemptTimeout() {
    return apiCallAttemptTimeout;
  }

  public Duration apiCallTimeout() {
    return apiCallTimeout;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration baseBackoff() {
    return baseBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration throttlingBaseBackoff() {
    return throttlingBaseBackoff;
  }

  public Duration throttlingMaxBackoff() {
    return throttlingMaxBackoff;
  }

  public int maxPages() {
    return maxPages;
  }

  public Clock clock() {
    return clock;
  }

  /** Builds {@link AwsPriceListOptions}; each setter validates its value. */
  public static final class Builder {
    private @Nullable URI endpointOverride;
    // The Price List API is served from us-east-1 (also eu-central-1, ap-south-1); prices
    // for every region come from any of them.
    private Region endpointRegion = Region.US_EAST_1;
    private @Nullable AwsCredentialsProvider credentialsProvider;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(10);
    private Duration apiCallAttemptTimeout = Duration.ofSeconds(10);
    private Duration apiCallTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 4;
    private Duration baseBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration throttlingBaseBackoff = Duration.ofMillis(500);
    private Duration throttlingMaxBackoff = Duration.ofSeconds(10);
    private int maxPages = 20;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Sends requests here instead of the AWS endpoint (a local fake, a VPC endpoint). */
    public Builder endpointOverride(URI endpoint) {
      if (endpoint.getScheme() == null || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "endpointOverride: '"
                + endpoint
                + "' (expected: an absolute URI like http://host:port)");
      }
      this.endpointOverride = endpoint;
      return this;
    }

    /** The region whose Price List endpoint is called (not the region being priced). */
    public Builder endpointRegion(Region region) {
      this.endpointRegion = region;
      return this;
    }

    /** Credentials to sign with; the SDK's default chain when not set. */
    public Builder credentialsProvider(AwsCredentialsProvider provider) {
      this.credentialsProvider = provider;
      return this;
    }

    /**
     * Credentials from a named profile of the shared AWS files, like {@code --profile} of the AWS
     * CLI; read when first needed, so a missing profile is a "no credentials" miss, not an error
     * here.
     *
     * @param name profile name, e.g. {@code pricing}
     * @param credentialsFile the shared credentials file; null for the SDK's default ({@code
     *     ~/.aws/credentials}, or {@code AWS_SHARED_CREDENTIALS_FILE}) and config file
     */
    public Builder profile(String name, @Nullable Path credentialsFile) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("profile: '" + name + "' (expected: an AWS profile name)");
      }
      ProfileCredentialsProvider.Builder provider = ProfileCredentialsProvider.builder().profileName(name);
      if (credentialsFile != null) {
        provider.profileFile(() -> ProfileFile.builder().content(credentialsFile)
            .type(ProfileFile.Type.CREDENTIALS).build());
      }
      this.credentialsProvider = provider.build();
      return this;
    }

    /** TCP connect timeout. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Read timeout on an open connection. */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive("socketTimeout", timeout);
      return this;
    }

    /** Limit for one HTTP attempt. */
    public Builder apiCallAttemptTimeout(Duration timeout) {
      this.apiCallAttemptTimeout = positive("apiCallAttemptTimeout", timeout);
      return this;
    }

    /** Limit for one page including all its retries. */
    public Builder apiCallTimeout(Duration timeout) {
      this.apiCallTimeout = positive("apiCallTimeout", timeout);
      return this;
    }

    /** Attempts per page, including the first; 1 disables retries. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException(
            "maxAttempts: " + attempts + " (expected: >= 1 and <= 20)");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Exponential backoff with jitter for retryable errors other than throttling. */
    public Builder backoff(Duration base, Duration max) {
      this.baseBackoff = positive("baseBackoff", base);
      this.maxBackoff = atLeast("maxBackoff", max, base);
      return this;
    }

    /** Exponential backoff with jitter after a ThrottlingException. */
    public Builder throttlingBackoff(Duration base, Duration max) {
      this.throttlingBaseBackoff = positive("throttlingBaseBackoff", base);
      this.throttlingMaxBackoff = atLeast("throttlingMaxBackoff", max, base);
      return this;
    }

    /** Stops following NextToken after this many pages (a runaway guard). */
    public Builder maxPages(int pages) {
      if (pages < 1) {
        throw new IllegalArgumentException("maxPages: " + pages + " (expected: >= 1)");
      }
      this.maxPages = pages;
      return this;
    }

    /** Dates prices whose documents carry no publication date. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public AwsPriceListOptions build() {
      return new AwsPriceListOptions(this);
    }

    private static Duration positive(String field, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
      }
      return value;
    }

    private static Duration atLeast(String field, Duration value, Duration min) {
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException(field + ": " + value + " (expected: >= " + min + ")");
      }
      return value;
    }
  }
}
