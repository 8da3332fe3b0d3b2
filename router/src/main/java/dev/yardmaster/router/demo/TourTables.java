package dev.yardmaster.router.demo;

import java.util.List;
import java.util.Locale;

/** Renders the tour's tables: per policy, one row per tier; then the definitions and the saving. */
final class TourTables {

  static final String COST_DEFINITION = "$/1M: cost per 1M inferences = sum over pools of (share of the tier's"
      + " answers on the pool) x (pool $/h / 3600 / rows per second one replica drains at its best profiled batch"
      + " x 1e6), i.e. what the traffic costs when each pool is scaled to its load; the drain rate is the"
      + " router's own reading of the profile (lowest p99 per batch)";
  static final String SLA_DEFINITION = "SLA met: answered within the tier's p99 budget (bronze: answered at all)"
      + " over all arrivals; sheds, errors and client drops count as misses; shed/err: shed by the router or"
      + " dropped by the client's cap / failed otherwise. Latency from the intended arrival (open loop), through"
      + " the router";
  static final String EMULATED_DEFINITION = "(emulated): ONNX Runtime on this CPU computes the outputs, paced by"
      + " the built-in accelerator profile (an assumption for the demo MLPs, not a measurement); see"
      + " backends/EMULATED.md";

  private TourTables() {}

  static String render(TourReport report) {
    StringBuilder out = new StringBuilder();
    List<PoolCost> pools = report.pools();
    out.append(String.format(Locale.ROOT, "model %s, pools (profiled on this host just now):%n", report.model()));
    for (PoolCost pool : pools) {
      out.append(String.format(Locale.ROOT, "  %-22s %-12s $%.3f/h  drains %,8.0f rows/s  $%.4f per 1M%n",
          pool.label(), pool.instanceType(), pool.pricePerHour(), pool.drainRowsPerSecond(), pool.costPerMillion()));
    }
    out.append("load: open-loop Poisson, 20% gold / 30% silver / 50% bronze via x-sla-tier:");
    for (LoadPhase phase : report.phases()) {
      if (phase.recorded()) {
        out.append(String.format(Locale.ROOT, " %s %.0f/s %.0fs", phase.name(), phase.requestsPerSecond(),
            phase.duration().toMillis() / 1e3));
      }
    }
    out.append('\n');
    for (PolicyResult policy : report.policies()) {
      out.append('\n').append(policyTable(policy, pools));
    }
    out.append('\n');
    out.append(saving(report));
    for (EmulationFidelity device : report.emulation()) {
      out.append(String.format(Locale.ROOT, "emulation %s (%s): %d of %d executions lagged (the host was slower than"
          + " the device; their latency is the host's)%n", device.pool(), device.device(), device.lagging(),
          device.executions()));
    }
    out.append('\n');
    for (String definition : report.definitions()) {
      out.append("  ").append(definition).append('\n');
    }
    return out.toString();
  }

  private static String policyTable(PolicyResult policy, List<PoolCost> pools) {
    StringBuilder out = new StringBuilder();
    out.append("policy ").append(policy.policy()).append(policy.policy().equals("cost-aware")
        ? " (cheapest pool whose predicted latency meets the tier):" : " (every request to the GPU pool):").append('\n');
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-7s %-8s %7s", "tier", "budget", "sent"));
    for (PoolCost pool : pools) {
      header.append(String.format(Locale.ROOT, "  %" + Math.max(8, pool.label().length()) + "s", pool.label()));
    }
    header.append(String.format(Locale.ROOT, "  %8s %8s %8s %9s %9s", "p50 ms", "p99 ms", "SLA met", "shed/err", "$/1M"));
    out.append(header).append('\n');
    for (TierResult tier : policy.tiers()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-7s %-8s %7d", tier.tier(),
          tier.bestEffort() ? "best eff" : String.format(Locale.ROOT, "%.0f ms", tier.budgetMs()), tier.sent()));
      for (PoolCost pool : pools) {
        row.append(String.format(Locale.ROOT, "  %" + Math.max(8, pool.label().length()) + "s",
            String.format(Locale.ROOT, "%.1f%%", 100 * tier.share(pool.pool()))));
      }
      row.append(String.format(Locale.ROOT, "  %8.2f %8.2f %7.1f%% %9s %9.4f", tier.p50Ms(), tier.p99Ms(),
          100 * tier.compliance(), (tier.shed() + tier.dropped()) + "/" + tier.failed(),
          policy.costPerMillionByTier().getOrDefault(tier.tier(), Double.NaN)));
      out.append(row).append('\n');
    }
    out.append(String.format(Locale.ROOT, "  all tiers: $%.4f per 1M inferences%n", policy.costPerMillion()));
    return out.toString();
  }

  private static String saving(TourReport report) {
    PolicyResult costAware = report.policy("cost-aware");
    PolicyResult gpuOnly = report.policy("gpu-only");
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "cost-aware vs gpu-only: $%.4f vs $%.4f per 1M inferences (%.0f%% less); SLA met",
        costAware.costPerMillion(), gpuOnly.costPerMillion(), report.savingPercent()));
    for (TierResult tier : costAware.tiers()) {
      out.append(String.format(Locale.ROOT, " %s %.1f%% vs %.1f%%", tier.tier(), 100 * tier.compliance(),
          100 * gpuOnly.tier(tier.tier()).compliance()));
    }
    return out.append('\n').toString();
  }
}
