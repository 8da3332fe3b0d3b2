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
 * @param maxMessageMib the largest gRPC message the router takes from callers and endpoints, in MiB
 *     ({@code server.max_message_mb}, {@value #DEFAULT_MAX_MESSAGE_MIB} by default, at most
 *     {@value #MAX_MESSAGE_MIB}); read at start, like the ports
 * @param pools {@code pools}, at least one
 * @param admission {@code tiers} and {@code default_tier}; gold/silver/bronze and bronze by default
 * @param models {@code models}: each model's profile, the routing policy's latency curves
 * @param routing {@code routing}: the policy and its knobs
 * @param auth {@code auth}: bearer tokens of callers and admins; off when absent
 */
public record RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, int maxMessageMib,
    List<PoolConfig> pools, AdmissionConfig admission, List<ModelRouting> models, RoutingSettings routing,
    AuthConfig auth) {

  /** The message limit of the router and of {@code serve --model-repository} unless set. */
  public static final int DEFAULT_MAX_MESSAGE_MIB = 64;
  /** The most whole MiB whose bytes fit an int, the type of Armeria's and grpc-java's limits; Triton takes 2 GiB. */
  public static final int MAX_MESSAGE_MIB = 2047;

  public RouterConfig {
    if (maxMessageMib < 1 || maxMessageMib > MAX_MESSAGE_MIB) {
      throw new IllegalArgumentException(
          "maxMessageMib: " + maxMessageMib + " (expected: >= 1 and <= " + MAX_MESSAGE_MIB + ")");
    }
    pools = List.copyOf(pools);
    models = List.copyOf(models);
  }

  /** Without auth. */
  public RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools,
      AdmissionConfig admission, List<ModelRouting> models, RoutingSettings routing) {
    this(grpcPort, metricsPort, defaultTimeoutMillis, DEFAULT_MAX_MESSAGE_MIB, pools, admission, models, routing,
        AuthConfig.off());
  }

  /** Pools only: default tiers, no profiles, the cost-aware policy with default knobs. */
  public RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools) {
    this(grpcPort, metricsPort, defaultTimeoutMillis, pools, AdmissionConfig.defaults(), List.of(),
        RoutingSettings.defaults());
  }

  public RouterConfig withModels(List<ModelRouting> newModels) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, maxMessageMib, pools, admission, newModels,
        routing, auth);
  }

  public RouterConfig withRouting(RoutingSettings newRouting) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, maxMessageMib, pools, admission, models,
        newRouting, auth);
  }

  public RouterConfig withAdmission(AdmissionConfig newAdmission) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, maxMessageMib, pools, newAdmission, models,
        routing, auth);
  }

  public RouterConfig withAuth(AuthConfig newAuth) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, maxMessageMib, pools, admission, models,
        routing, newAuth);
  }

  /** With the message limit {@code mib}: {@code serve --max-message-mb}, which wins over the file's. */
  public RouterConfig withMaxMessageMib(int mib) {
    return new RouterConfig(grpcPort, metricsPort, defaultTimeoutMillis, mib, pools, admission, models, routing,
        auth);
  }

  /** {@link #maxMessageMib()} in bytes. */
  public int maxMessageBytes() {
    return mibInBytes(maxMessageMib);
  }

  /** {@code mib} MiB in bytes; at most {@link #MAX_MESSAGE_MIB} fits. */
  public static int mibInBytes(int mib) {
    return mib * 1024 * 1024;
  }

  public List<String> poolNames() {
    return pools.stream().map(PoolConfig::name).toList();
  }
}
