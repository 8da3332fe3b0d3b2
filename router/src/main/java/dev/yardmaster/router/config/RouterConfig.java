package dev.yardmaster.router.config;

import java.util.List;

/**
 * What the router reads from its YAML file.
 *
 * @param grpcPort {@code server.grpc_port}, default 8001
 * @param metricsPort {@code server.metrics_port}, default 8002
 * @param defaultTimeoutMillis deadline for callers that send none ({@code server.default_timeout_ms},
 *     default 30000), so no request waits forever
 * @param pools {@code pools}, at least one
 */
public record RouterConfig(int grpcPort, int metricsPort, long defaultTimeoutMillis, List<PoolConfig> pools) {

  public RouterConfig {
    pools = List.copyOf(pools);
  }

  public List<String> poolNames() {
    return pools.stream().map(PoolConfig::name).toList();
  }
}
