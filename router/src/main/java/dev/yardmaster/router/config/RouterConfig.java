package dev.yardmaster.router.config;

import dev.yardmaster.router.admission.AdmissionConfig;
import dev.yardmaster.router.admission.AuthConfig;
import java.util.List;

/**
 * What the router reads from its YAML file.
 *
 * @param grpcPort {@code server.grpc_port}, default 8001
 * @param metricsPort {@code server.metrics_port}, default 8002
 * @param defaultTimeoutMillis deadline for callers that send none ({@code server.default_timeout_ms},
 *     default 30000), so no request waits forever
 * @param pools {@code pools}, at least one
 * @param admission {@code tiers} and {@code default_tier}; gold/silver/bronze and bronze by default
 * @param models {@code models}: each model's profile, the routing policy's latency curves
 * @param routing {@code routing}: the policy and its knobs
 * @param auth {@code auth}: bearer tokens of callers and admins; off when absent
 */
public record RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools,
    AdmissionConfig admission, List<ModelRouting> models, RoutingSettings routing, AuthConfig auth) {

  public RouterConfig {
    pools = List.copyOf(pools);
    models = List.copyOf(models);
  }

  /** Without auth. */
  public RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools,
      AdmissionConfig admission, List<ModelRouting> models, RoutingSettings routing) {
    this(grpcPort, metricsPort, defaultTimeoutMillis, pools, admission, models, routing, AuthConfig.off());
  }

  /** Pools only: default tiers, no profiles, the cost-aware policy with default knobs. */
  public RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools) {
    this(grpcPort, metricsPort, defaultTimeoutMillis, pools, AdmissionConfig.defaults(), List.of(),
        RoutingSettings.defaults());
  }

  public RouterConfig withModels(List<ModelRouting> newModels) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, pools, admission, newModels, routing, auth);
  }

  public RouterConfig withRouting(RoutingSettings newRouting) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, pools, admission, models, newRouting, auth);
  }

  public RouterConfig withAdmission(AdmissionConfig newAdmission) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, pools, newAdmission, models, routing, auth);
  }

  public RouterConfig withAuth(AuthConfig newAuth) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, pools, admission, models, routing, newAuth);
  }

  public List<String> poolNames() {
    return pools.stream().map(PoolConfig::name).toList();
  }
}
