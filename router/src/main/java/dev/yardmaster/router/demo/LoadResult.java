package dev.yardmaster.router.demo;

import java.util.List;

/**
 * What {@link MixedTierLoad} saw over its recorded phases.
 *
 * @param tiers per tier over all recorded phases, in mix order
 * @param phases per recorded phase, in order
 */
record LoadResult(List<TierResult> tiers, List<PhaseResult> phases) {

  LoadResult {
    tiers = List.copyOf(tiers);
    phases = List.copyOf(phases);
  }
}
