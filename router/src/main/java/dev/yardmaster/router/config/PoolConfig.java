package dev.yardmaster.router.config;

import dev.yardmaster.router.policy.AcceleratorKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code pools:} entry of kind {@code kserve}: remote KServe v2 gRPC endpoints.
 *
 * @param name unique pool name ({@code name})
 * @param accelerator {@code accelerator}: gpu, inferentia or cpu
 * @param pricePerHour dollars per replica-hour ({@code price_per_hour}, or from {@code instance_type})
 * @param instanceType {@code instance_type}, when given
 * @param endpoints {@code host:port} entries; a DNS name that resolves to several addresses (a
 *     headless Kubernetes service) gives one endpoint per address
 * @param replicasMin {@code replicas.min}, default 1
 * @param replicasMax {@code replicas.max}, default max(min, endpoint count)
 * @param channelsPerEndpoint HTTP/2 channels to each endpoint ({@code channels_per_endpoint}, default 2)
 * @param dnsRefreshMillis how often names are re-resolved ({@code dns_refresh_ms}, default 5000)
 */
public record PoolConfig(
    String name,
    AcceleratorKind accelerator,
    double pricePerHour,
    @Nullable String instanceType,
    List<String> endpoints,
    int replicasMin,
    int replicasMax,
    int channelsPerEndpoint,
    long dnsRefreshMillis,
    HealthCheckConfig healthCheck,
    OutlierDetectionConfig outlierDetection,
    RetryConfig retry) {

  public PoolConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** A pool of static endpoints with default health, outlier and retry settings. */
  public static PoolConfig of(String name, AcceleratorKind accelerator, double pricePerHour, List<String> endpoints) {
    return new PoolConfig(name, accelerator, pricePerHour, null, endpoints, 1, Math.max(1, endpoints.size()), 2,
        5000, HealthCheckConfig.defaults(), OutlierDetectionConfig.defaults(), RetryConfig.defaults());
  }

  public PoolConfig withEndpoints(List<String> newEndpoints) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, newEndpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, outlierDetection, retry);
  }

  public PoolConfig withHealthCheck(HealthCheckConfig check) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, check, outlierDetection, retry);
  }

  public PoolConfig withOutlierDetection(OutlierDetectionConfig detection) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, detection, retry);
  }

  public PoolConfig withRetry(RetryConfig newRetry) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, outlierDetection, newRetry);
  }
}
