package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.profile.ServiceCurves;
import java.util.ArrayList;
import java.util.List;

/**
 * What one inference costs on a pool, by the router's own reading of the pool's profile: its hourly
 * price over the rows per second one replica drains at its best profiled batch (the service curve
 * the cost-aware policy ranks pools by, for best effort). This is the cost of the pool's capacity
 * when the pool is scaled to its load.
 *
 * @param pool pool name
 * @param emulated whether the pool is an emulated accelerator
 * @param instanceType the priced instance type
 * @param pricePerHour dollars per replica-hour
 * @param drainRowsPerSecond rows per second at the best batch of the profile's service curve
 * @param batchOneThroughput the best closed-loop throughput measured with batch-1 requests (the
 *     tour's own requests), which scales the load
 * @param costPerMillion dollars per 1M inferences at {@code drainRowsPerSecond}
 */
record PoolCost(
    String pool,
    boolean emulated,
    @JsonProperty("instance_type") String instanceType,
    @JsonProperty("price_per_hour") double pricePerHour,
    @JsonProperty("drain_rows_per_second") double drainRowsPerSecond,
    @JsonProperty("batch_one_throughput") double batchOneThroughput,
    @JsonProperty("cost_per_million") double costPerMillion) {

  /** The pool's name, with "(emulated)" where it is. */
  String label() {
    return emulated ? pool + " (emulated)" : pool;
  }

  /** One per profile entry, in profile order. */
  static List<PoolCost> of(Profile profile) {
    List<PoolCost> costs = new ArrayList<>();
    for (ProfileEntry entry : profile.entries()) {
      double drain = ServiceCurves.of(entry, Tier.DEFAULTS).drainRowsPerSecond();
      double batchOne = 0;
      for (GridPoint point : entry.grid()) {
        if (point.batch() == 1 && point.errors() == 0) {
          batchOne = Math.max(batchOne, point.throughput());
        }
      }
      costs.add(new PoolCost(entry.pool(), entry.backend().equals("emulated"), entry.instanceType(),
          entry.pricePerHour(), drain, batchOne, drain > 0 ? entry.pricePerHour() / 3600 / drain * 1e6 : Double.NaN));
    }
    return costs;
  }
}
