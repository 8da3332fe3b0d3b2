package dev.yardmaster.sim;

import dev.yardmaster.router.policy.RoutingConfig;
import dev.yardmaster.router.policy.Tier;
import java.util.List;

/**
 * Everything a simulation needs besides the policy and the fleet: one model, its tiers, the pools
 * that can serve it, the routing knobs, the SLA targets and the default trace.
 *
 * @param name e.g. {@code seed}
 * @param model the model every request is for
 * @param tiers tiers by index; {@link Tier#index()} must equal the position
 * @param pools the pools, in snapshot order
 * @param routing knobs of the cost-aware policy
 * @param targets what a fleet must achieve
 * @param trace the default trace, as a function of (seed, duration)
 * @param defaultDurationNanos the default trace duration
 */
public record Scenario(String name, String model, List<Tier> tiers, List<PoolSpec> pools,
    RoutingConfig routing, SlaTargets targets, TraceFactory trace, long defaultDurationNanos) {

  /** Makes the scenario's trace for a seed and a duration. */
  @FunctionalInterface
  public interface TraceFactory {
    Trace make(long seed, long durationNanos);
  }

  public Scenario {
    tiers = List.copyOf(tiers);
    pools = List.copyOf(pools);
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).index() != i) {
        throw new IllegalArgumentException("tiers[" + i + "].index: " + tiers.get(i).index()
            + " (expected: " + i + ", its position)");
      }
    }
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("pools: [] (expected: at least one pool)");
    }
    if (defaultDurationNanos <= 0) {
      throw new IllegalArgumentException(
          "defaultDurationNanos: " + defaultDurationNanos + " (expected: > 0)");
    }
  }

  public Trace trace(long seed) {
    return trace.make(seed, defaultDurationNanos);
  }

  /** The largest fleet the search may use. */
  public Fleet maxFleet() {
    int[] replicas = new int[pools.size()];
    for (int p = 0; p < replicas.length; p++) {
      replicas[p] = pools.get(p).maxReplicas();
    }
    return Fleet.of(replicas);
  }
}
