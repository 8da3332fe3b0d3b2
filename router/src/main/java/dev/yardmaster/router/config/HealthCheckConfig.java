package dev.yardmaster.router.config;

import java.util.List;

/**
 * Active health checking of a pool's endpoints: ServerReady, then ModelReady for each model.
 *
 * @param intervalMillis time between checks of one endpoint ({@code interval_ms}, default 1000)
 * @param timeoutMillis deadline of one check ({@code timeout_ms}, default 1000; a loaded endpoint
 *     answers ServerReady late, and a tight timeout turns load into a false outage)
 * @param healthyThreshold passes in a row to become healthy ({@code healthy_threshold}, default 1)
 * @param unhealthyThreshold failures in a row to become unhealthy ({@code unhealthy_threshold}, default 3)
 * @param models models that must report ready ({@code models}, default none: ServerReady only)
 */
public record HealthCheckConfig(
    long intervalMillis, long timeoutMillis, int healthyThreshold, int unhealthyThreshold, List<String> models) {

  public static HealthCheckConfig defaults() {
    return new HealthCheckConfig(1000, 1000, 1, 3, List.of());
  }

  public HealthCheckConfig {
    models = List.copyOf(models);
  }
}
