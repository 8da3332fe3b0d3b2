package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one recorded phase of the tour's load saw under one policy: per tier, where its answers went
 * and whether they met the budget, so a table can show traffic leaving the cheap pool at the peak and
 * coming back after it.
 *
 * @param name the phase's name, e.g. {@code peak}
 * @param requestsPerSecond the phase's mean arrival rate
 * @param tiers per tier, in mix order
 */
record PhaseResult(String name, @JsonProperty("requests_per_second") double requestsPerSecond, List<TierResult> tiers) {

  PhaseResult {
    tiers = List.copyOf(tiers);
  }

  TierResult tier(String name) {
    return tiers.stream().filter(t -> t.tier().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("tier: " + name + " (expected: one of "
            + tiers.stream().map(TierResult::tier).toList() + ")"));
  }
}
