package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy's run of the tour's load.
 *
 * @param policy the {@code routing.policy} name
 * @param tiers per tier, in mix order
 * @param costPerMillionByTier per tier: the sum over pools of its share there times the pool's cost per 1M
 * @param costPerMillion the same over all answered requests
 * @param phases per recorded phase (base, peak, base): per tier, where its answers went and how they
 *     met the budget
 */
record PolicyResult(
    String policy,
    List<TierResult> tiers,
    @JsonProperty("cost_per_million_by_tier") Map<String, Double> costPerMillionByTier,
    @JsonProperty("cost_per_million") double costPerMillion,
    List<PhaseResult> phases) {

  PolicyResult {
    tiers = List.copyOf(tiers);
    costPerMillionByTier = Map.copyOf(costPerMillionByTier);
    phases = List.copyOf(phases);
  }

  /** The result of a load run with costs attributed from {@code pools}. */
  static PolicyResult of(String policy, LoadResult load, List<PoolCost> pools) {
    List<TierResult> tiers = load.tiers();
    Map<String, Double> byTier = new HashMap<>();
    double dollars = 0;
    long answered = 0;
    for (TierResult tier : tiers) {
      double tierDollars = 0;
      for (PoolCost pool : pools) {
        tierDollars += tier.answersByPool().getOrDefault(pool.pool(), 0L) * pool.costPerMillion();
      }
      byTier.put(tier.tier(), tier.answered() == 0 ? Double.NaN : tierDollars / tier.answered());
      dollars += tierDollars;
      answered += tier.answered();
    }
    return new PolicyResult(policy, tiers, byTier, answered == 0 ? Double.NaN : dollars / answered, load.phases());
  }

  /** Requests failed with an error other than a shed, over all tiers. */
  long failed() {
    return tiers.stream().mapToLong(TierResult::failed).sum();
  }

  TierResult tier(String name) {
    return tiers.stream().filter(t -> t.tier().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("tier: " + name + " (expected: one of "
            + tiers.stream().map(TierResult::tier).toList() + ")"));
  }
}
