package dev.yardmaster.router.config;

import dev.yardmaster.backend.cpushare.CpuShare;
import dev.yardmaster.backend.emulated.AcceleratorProfile;
import dev.yardmaster.router.policy.AcceleratorKind;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code pools:} entry: remote KServe v2 gRPC endpoints ({@code kind: kserve}), or a backend the
 * router serves in its own process ({@code kind: onnxruntime} or {@code emulated}) whose endpoint is
 * a loopback port the router fills in when it starts the pool.
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
 * @param kind {@code kind}, default {@code kserve}
 * @param modelRepository {@code model_repository} (absolute) for in-process kinds, else null
 * @param emulated the accelerator profile {@code emulate} names, for {@code kind: emulated}, else null
 * @param cpuShare {@code cpu_share}: the share of a core each instance of an in-process
 *     {@code onnxruntime} pool computes on ({@link CpuShare#WHOLE_CORE} when not given)
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
    RetryConfig retry,
    PoolKind kind,
    @Nullable Path modelRepository,
    @Nullable AcceleratorProfile emulated,
    CpuShare cpuShare) {

  public PoolConfig {
    endpoints = List.copyOf(endpoints);
    if (kind.inProcess() && modelRepository == null) {
      throw new IllegalArgumentException("pool '" + name + "': model_repository: missing (expected: a directory for kind "
          + kind.configName() + ")");
    }
    if ((kind == PoolKind.EMULATED) != (emulated != null)) {
      throw new IllegalArgumentException("pool '" + name + "': emulate: " + (emulated == null ? "missing" : emulated.name())
          + " (expected: a profile exactly when kind is emulated; kind is " + kind.configName() + ")");
    }
    if (cpuShare.limits() && kind != PoolKind.ONNXRUNTIME) {
      throw new IllegalArgumentException("pool '" + name + "': cpu_share: " + cpuShare.share()
          + " (expected: only with kind onnxruntime; kind is " + kind.configName() + ")");
    }
  }

  /** A {@code kind: kserve} pool. */
  public PoolConfig(String name, AcceleratorKind accelerator, double pricePerHour, @Nullable String instanceType,
      List<String> endpoints, int replicasMin, int replicasMax, int channelsPerEndpoint, long dnsRefreshMillis,
      HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection, RetryConfig retry) {
    this(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax, channelsPerEndpoint,
        dnsRefreshMillis, healthCheck, outlierDetection, retry, PoolKind.KSERVE, null, null, CpuShare.WHOLE_CORE);
  }

  /** A pool of static endpoints with default health, outlier and retry settings. */
  public static PoolConfig of(String name, AcceleratorKind accelerator, double pricePerHour, List<String> endpoints) {
    return new PoolConfig(name, accelerator, pricePerHour, null, endpoints, 1, Math.max(1, endpoints.size()), 2,
        5000, HealthCheckConfig.defaults(), OutlierDetectionConfig.defaults(), RetryConfig.defaults());
  }

  /** A pool the router serves itself from {@code repository}: ONNX Runtime, or emulated when {@code emulated} is set. */
  public static PoolConfig inProcess(String name, AcceleratorKind accelerator, double pricePerHour, Path repository,
      @Nullable AcceleratorProfile emulated) {
    return new PoolConfig(name, accelerator, pricePerHour, null, List.of(), 1, 1, 2, 5000,
        HealthCheckConfig.defaults(), OutlierDetectionConfig.defaults(), RetryConfig.defaults(),
        emulated == null ? PoolKind.ONNXRUNTIME : PoolKind.EMULATED, repository, emulated, CpuShare.WHOLE_CORE);
  }

  /** This in-process {@code onnxruntime} pool with each instance held to {@code share} of a core. */
  public PoolConfig withCpuShare(CpuShare share) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, outlierDetection, retry, kind, modelRepository, emulated,
        share);
  }

  /** The same serving (kind, repository, profile, CPU share): an in-process pool whose backend can keep running. */
  public boolean sameServing(PoolConfig other) {
    return kind == other.kind && java.util.Objects.equals(modelRepository, other.modelRepository)
        && java.util.Objects.equals(emulated, other.emulated) && cpuShare.equals(other.cpuShare);
  }

  public PoolConfig withEndpoints(List<String> newEndpoints) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, newEndpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, outlierDetection, retry, kind, modelRepository, emulated,
        cpuShare);
  }

  public PoolConfig withHealthCheck(HealthCheckConfig check) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, check, outlierDetection, retry, kind, modelRepository, emulated,
        cpuShare);
  }

  public PoolConfig withOutlierDetection(OutlierDetectionConfig detection) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, detection, retry, kind, modelRepository, emulated,
        cpuShare);
  }

  public PoolConfig withRetry(RetryConfig newRetry) {
    return new PoolConfig(name, accelerator, pricePerHour, instanceType, endpoints, replicasMin, replicasMax,
        channelsPerEndpoint, dnsRefreshMillis, healthCheck, outlierDetection, newRetry, kind, modelRepository,
        emulated, cpuShare);
  }
}
