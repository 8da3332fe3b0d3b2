package dev.yardmaster.router.config;

/**
 * Retries on another endpoint, within the caller's deadline and an Envoy-style retry budget.
 *
 * @param maxRetries retries after the first try ({@code max_retries}, default 2)
 * @param perTryTimeoutMillis deadline of one try, capped by the caller's ({@code per_try_timeout_ms},
 *     default 2000)
 * @param budgetPercent retries in flight allowed as a share of requests in flight ({@code
 *     budget_percent}, default 20, Envoy's). When an endpoint dies, its share of the requests in
 *     flight (1/N of the pool) fails at once; until it is ejected their retries need permits, so for
 *     lossless failover keep this above 100/N percent (e.g. 50 for a pool of 3)
 * @param minRetryConcurrency retries in flight always allowed ({@code min_retry_concurrency}, default 3)
 */
public record RetryConfig(int maxRetries, long perTryTimeoutMillis, double budgetPercent, int minRetryConcurrency) {

  public static RetryConfig defaults() {
    return new RetryConfig(2, 2000, 20.0, 3);
  }
}
