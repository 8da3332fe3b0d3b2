package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What one inference costs on a pool: its hourly price over the best throughput its profile
 * measured (error-free points). This is the cost of the pool's capacity when the pool is scaled to
 * its load, the efficiency the cost-aware policy ranks pools by.
 *
 * @param pool pool name
 * @param emulated whether the pool is an emulated accelerator
 * @param instanceType the priced instance type
 * @param pricePerHour dollars per replica-hour
 * @param maxThroughput best measured inferences per second on one replica
 * @param costPerMillion dollars per 1M inferences at that throughput
 */
record PoolCost(
    String pool,
    boolean emulated,
    @JsonProperty("instance_type") String instanceType,
    @JsonProperty("price_per_hour") double pricePerHour,
    @JsonProperty("max_throughput") double maxThroughput,
    @JsonProperty("cost_per_million") double costPerMillion) {

  /** The pool's name, with "(emulated)" where it is. */
  String label() {
    return emulated ? pool + " (emulated)" : pool;
  }

  /** One per profile entry, in profile order. */
  static List<PoolCost> of(Profile profile) {
    List<PoolCost> costs = new ArrayList<>();
    for (ProfileEntry entry : profile.entries()) {
      double best = 0;
      for (GridPoint point : entry.grid()) {
        if (point.errors() == 0) {
          best = Math.max(best, point.throughput());
        }
      }
      double perMillion = best > 0 ? entry.pricePerHour() / 3600 / best * 1e6 : Double.NaN;
      costs.add(new PoolCost(entry.pool(), entry.backend().equals("emulated"), entry.instanceType(),
          entry.pricePerHour(), best, perMillion));
    }
    return costs;
  }
}
