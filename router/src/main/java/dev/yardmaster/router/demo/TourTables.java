package dev.yardmaster.router.demo;

import java.util.List;
import java.util.Locale;

/**
 * Renders the tour's tables: the pools and why the CPU pool saturates at the peak; per policy, one
 * row per tier, and for cost-aware one row per phase and tier (traffic leaving the CPU pool at the
 * peak and coming back); then the saving, how far traffic moved off the CPU pool, and the definitions.
 */
final class TourTables {

  static final String COST_DEFINITION = "$/1M: cost per 1M inferences = sum over pools of (share of the tier's"
      + " answers on the pool) x (pool $/h / 3600 / rows per second one replica drains at its best profiled batch"
      + " x 1e6), i.e. what the traffic costs when each pool is scaled to its load; the drain rate is the"
      + " router's own reading of the profile (lowest p99 per batch; a pool that runs requests one at a time:"
      + " its best one-row throughput)";
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
    out.append(capacity(report));
    for (PolicyResult policy : report.policies()) {
      out.append('\n').append(policyTable(policy, pools));
      if (policy.policy().equals("cost-aware")) {
        out.append(phaseTable(policy, pools));
      }
    }
    out.append('\n');
    out.append(saving(report));
    out.append(movedOff(report.policy("cost-aware"), report.cpuPool().pool()));
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

  /** What the CPU pool is, the load relative to its capacity, and what that makes the router do. */
  static String capacity(TourReport report) {
    CpuPoolLimit cpu = report.cpuPool();
    double capacity = cpu.capacity();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%s: %s; it drained %,.0f rows/s in its profile (batch-1 requests, closed loop, straight at the pool)%n",
        cpu.pool(), cpu.setup(), capacity));
    out.append("load: open-loop Poisson, 20% gold / 30% silver / 50% bronze via x-sla-tier:");
    double peak = 0;
    for (LoadPhase phase : report.phases()) {
      if (phase.recorded()) {
        out.append(String.format(Locale.ROOT, " %s %.0f/s (%.2fx) %.0fs", phase.name(), phase.requestsPerSecond(),
            phase.requestsPerSecond() / capacity, phase.duration().toMillis() / 1e3));
        peak = Math.max(peak, phase.requestsPerSecond());
      }
    }
    out.append('\n');
    PoolCost cheapest = cheapest(report.pools());
    if (!cheapest.pool().equals(cpu.pool())) {
      out.append(String.format(Locale.ROOT, "  NOTE: this host's profiles rank %s cheaper per inference than %s (a busy"
          + " host slows the one-instance CPU pool most): the router sends traffic there from the start; compare on a"
          + " quieter host%n", cheapest.pool(), cpu.pool()));
    }
    if (peak > capacity) {
      out.append(String.format(Locale.ROOT, "  at the peak more arrives than %s drains, so its queue grows: cost-aware"
          + " moves gold (then silver, then bronze) to the next cheapest pool that still meets the tier, and back"
          + " when the queue drains%n", cpu.pool()));
    } else {
      out.append(String.format(Locale.ROOT, "  the peak (%.0f/s) is not above what %s drains: its queue need not"
          + " grow, and traffic may all stay on it%n", peak, cpu.pool()));
    }
    return out.toString();
  }

  /** The pool with the lowest cost per 1M inferences by the profile. */
  static PoolCost cheapest(List<PoolCost> pools) {
    PoolCost cheapest = pools.get(0);
    for (PoolCost pool : pools) {
      if (pool.costPerMillion() < cheapest.costPerMillion()) {
        cheapest = pool;
      }
    }
    return cheapest;
  }

  /** Per recorded phase and tier: where the answers went, p99 and SLA met. */
  static String phaseTable(PolicyResult policy, List<PoolCost> pools) {
    StringBuilder out = new StringBuilder("  by phase:\n");
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-6s %6s  %-7s %6s", "phase", "req/s",
        "tier", "sent"));
    for (PoolCost pool : pools) {
      header.append(String.format(Locale.ROOT, "  %" + Math.max(8, pool.label().length()) + "s", pool.label()));
    }
    header.append(String.format(Locale.ROOT, "  %8s %8s", "p99 ms", "SLA met"));
    out.append(header).append('\n');
    for (PhaseResult phase : policy.phases()) {
      boolean first = true;
      for (TierResult tier : phase.tiers()) {
        StringBuilder row = new StringBuilder(first
            ? String.format(Locale.ROOT, "  %-6s %6.0f", phase.name(), phase.requestsPerSecond())
            : String.format(Locale.ROOT, "  %-6s %6s", "", ""));
        first = false;
        row.append(String.format(Locale.ROOT, "  %-7s %6d", tier.tier(), tier.sent()));
        for (PoolCost pool : pools) {
          row.append(String.format(Locale.ROOT, "  %" + Math.max(8, pool.label().length()) + "s",
              String.format(Locale.ROOT, "%.1f%%", 100 * tier.share(pool.pool()))));
        }
        row.append(String.format(Locale.ROOT, "  %8.2f %7.1f%%", tier.p99Ms(), 100 * tier.compliance()));
        out.append(row).append('\n');
      }
    }
    return out.toString();
  }

  /** One line: per tier, the share answered off the CPU pool in each phase. */
  static String movedOff(PolicyResult policy, String cpuPool) {
    StringBuilder out = new StringBuilder("answered off " + cpuPool + " under cost-aware, by phase:");
    List<TierResult> tiers = policy.tiers();
    for (int t = 0; t < tiers.size(); t++) {
      out.append(t == 0 ? " " : "; ").append(tiers.get(t).tier());
      for (int p = 0; p < policy.phases().size(); p++) {
        PhaseResult phase = policy.phases().get(p);
        TierResult tier = phase.tiers().get(t);
        out.append(p == 0 ? " " : " -> ").append(phase.name()).append(' ')
            .append(String.format(Locale.ROOT, "%.0f%%", 100 * (tier.answered() == 0 ? 0 : 1 - tier.share(cpuPool))));
      }
    }
    return out.append('\n').toString();
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
