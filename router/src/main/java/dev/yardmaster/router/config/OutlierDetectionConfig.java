package dev.yardmaster.router.config;

/**
 * Passive ejection of failing endpoints, Envoy's outlier detection.
 *
 * @param consecutiveFailures failures in a row (UNAVAILABLE, INTERNAL, UNKNOWN, per-try timeout)
 *     that eject an endpoint ({@code consecutive_failures}, default 5)
 * @param baseEjectionTimeMillis ejection time, multiplied by the times ejected ({@code
 *     base_ejection_time_ms}, default 30000)
 * @param maxEjectionTimeMillis cap on one ejection ({@code max_ejection_time_ms}, default 300000)
 * @param maxEjectionPercent at most this share of the pool ejected at once, at least one endpoint
 *     ({@code max_ejection_percent}, default 50)
 * @param enforcing false for dry run: ejections are detected and counted but not enforced ({@code
 *     enforcing}, default true)
 */
public record OutlierDetectionConfig(
    int consecutiveFailures,
    long baseEjectionTimeMillis,
    long maxEjectionTimeMillis,
    int maxEjectionPercent,
    boolean enforcing) {

  public static OutlierDetectionConfig defaults() {
    return new OutlierDetectionConfig(5, 30_000, 300_000, 50, true);
  }
}
