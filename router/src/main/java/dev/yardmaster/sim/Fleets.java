package dev.yardmaster.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Enumerates the fleets within the scenario's replica bounds, cheapest first. */
final class Fleets {

  private Fleets() {}

  /**
   * Every fleet with each pool's replicas in [min, max], pools not in {@code usable} held at their
   * min, ordered by price per hour, then fewer replicas, then replica counts in pool order.
   */
  static List<Fleet> cheapestFirst(Scenario scenario, boolean[] usable) {
    List<PoolSpec> pools = scenario.pools();
    List<Fleet> fleets = new ArrayList<>();
    int[] counts = new int[pools.size()];
    for (int p = 0; p < counts.length; p++) {
      counts[p] = pools.get(p).minReplicas();
    }
    while (true) {
      fleets.add(Fleet.of(counts));
      int p = counts.length - 1;
      while (p >= 0 && (!usable[p] || counts[p] == pools.get(p).maxReplicas())) {
        counts[p] = pools.get(p).minReplicas();
        p--;
      }
      if (p < 0) {
        break;
      }
      counts[p]++;
    }
    fleets.sort(Comparator.comparingDouble((Fleet f) -> f.pricePerHour(pools))
        .thenComparingInt(Fleet::total)
        .thenComparing(f -> f.replicas().toString()));
    return fleets;
  }
}
