package dev.yardmaster.router.routing;

import dev.yardmaster.router.policy.RouteDecision.Reason;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The router path's meters for one routing table, resolved once so recording is array reads:
 * {@code yardmaster_route_decisions_total{reason,pool}} and, through one {@link RequestMetrics} per
 * pool, {@code yardmaster_requests_total{model,tier,pool,outcome}},
 * {@code yardmaster_request_latency_seconds{tier,pool}} and {@code yardmaster_sla_violations_total{tier}}.
 * Requests that reached no pool (refused, shed) have {@code pool="none"}.
 */
final class RouteMetrics {

  static final String NO_POOL = "none";
  private static final Reason[] REASONS = Reason.values();

  private final Counter[][] decisions; // [reason][pool], last pool slot: none
  private final RequestMetrics[] requests; // [pool], last slot: none

  RouteMetrics(MeterRegistry registry, RoutingTable table) {
    int n = table.poolNames.length;
    decisions = new Counter[REASONS.length][n + 1];
    requests = new RequestMetrics[n + 1];
    for (int p = 0; p <= n; p++) {
      String pool = p < n ? table.poolNames[p] : NO_POOL;
      requests[p] = new RequestMetrics(registry, pool, table.tiers);
      for (Reason reason : REASONS) {
        decisions[reason.ordinal()][p] = Counter.builder("yardmaster.route.decisions")
            .description("Routing decisions by reason and chosen pool")
            .tags("reason", reason.label(), "pool", pool)
            .register(registry);
      }
    }
  }

  /** {@code pool} is the index, or -1 for none. */
  void decision(Reason reason, int pool) {
    decisions[reason.ordinal()][slot(pool)].increment();
  }

  RequestMetrics requests(int pool) {
    return requests[slot(pool)];
  }

  private int slot(int pool) {
    return pool < 0 ? requests.length - 1 : pool;
  }
}
