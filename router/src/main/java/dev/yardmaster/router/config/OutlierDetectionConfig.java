package dev.yardmaster.router.config;

/**
 * Passive ejection of failing endpoints, Envoy's outlier detection: by consecutive failures (at
 * once) and by success rate (swept every {@code interval_ms}).
 *
 * @param consecutiveFailures failures in a row (UNAVAILABLE, INTERNAL, UNKNOWN, per-try timeout; not
 *     an answer that a model is not ready there) that eject an endpoint ({@code consecutive_failures}, default 5)
 * @param baseEjectionTimeMillis ejection time, multiplied by the times ejected ({@code
 *     base_ejection_time_ms}, default 30000)
 * @param maxEjectionTimeMillis cap on one ejection ({@code max_ejection_time_ms}, default 300000)
 * @param maxEjectionPercent at most this share of the pool ejected at once, at least one endpoint
 *     ({@code max_ejection_percent}, default 50)
 * @param enforcing false for dry run: ejections are detected and counted but not enforced ({@code
 *     enforcing}, default true)
 * @param intervalMillis how often success rates are compared, over the requests of the interval
 *     just ended ({@code interval_ms}, default 10000, Envoy's {@code interval})
 * @param successRate success-rate ejection ({@code success_rate})
 */
public record OutlierDetectionConfig(
    int consecutiveFailures,
    long baseEjectionTimeMillis,
    long maxEjectionTimeMillis,
    int maxEjectionPercent,
    boolean enforcing,
    long intervalMillis,
    SuccessRate successRate) {

  /** Consecutive-failure settings with the default success-rate ejection. */
  public OutlierDetectionConfig(int consecutiveFailures, long baseEjectionTimeMillis, long maxEjectionTimeMillis,
      int maxEjectionPercent, boolean enforcing) {
    this(consecutiveFailures, baseEjectionTimeMillis, maxEjectionTimeMillis, maxEjectionPercent, enforcing,
        10_000, SuccessRate.defaults());
  }

  public static OutlierDetectionConfig defaults() {
    return new OutlierDetectionConfig(5, 30_000, 300_000, 50, true);
  }

  public OutlierDetectionConfig withSuccessRate(long newIntervalMillis, SuccessRate newSuccessRate) {
    return new OutlierDetectionConfig(consecutiveFailures, baseEjectionTimeMillis, maxEjectionTimeMillis,
        maxEjectionPercent, enforcing, newIntervalMillis, newSuccessRate);
  }

  /**
   * Envoy's success-rate ejection: each interval, the endpoints with at least {@code requestVolume}
   * requests are compared, when there are at least {@code minimumHosts} of them; one whose success
   * rate is below {@code mean - stdevFactor x stdev} of theirs is ejected.
   *
   * @param enabled false turns it off ({@code success_rate.enabled}, default true)
   * @param minimumHosts endpoints with enough volume needed to compare ({@code
   *     success_rate.minimum_hosts}, default 5, Envoy's {@code success_rate_minimum_hosts})
   * @param requestVolume requests an endpoint needs in the interval to be compared ({@code
   *     success_rate.request_volume}, default 100)
   * @param stdevFactor how many standard deviations below the mean eject ({@code
   *     success_rate.stdev_factor}, default 1.9; Envoy writes 1900)
   */
  public record SuccessRate(boolean enabled, int minimumHosts, long requestVolume, double stdevFactor) {

    public static SuccessRate defaults() {
      return new SuccessRate(true, 5, 100, 1.9);
    }
  }
}
