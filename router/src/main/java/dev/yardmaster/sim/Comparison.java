package dev.yardmaster.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Policies compared on one trace, each on the cheapest fleet that meets the SLA targets, with the
 * oracle's bounds: the report's data, serialized as is to JSON.
 *
 * @param scenario scenario name
 * @param model the model
 * @param trace how the trace was made
 * @param seed the seed of the synthetic trace (ignored for replays)
 * @param durationSeconds simulated time the trace covers (the billed time)
 * @param requests requests in the trace
 * @param rows rows (inferences) in the trace
 * @param pools the pools
 * @param policies one outcome per policy, in the order asked
 * @param oracle the lower bounds
 * @param loadBucketSeconds width of the load buckets
 * @param loadRowsPerSecond offered rows per second per bucket
 */
public record Comparison(String scenario, String model, String trace, long seed,
    double durationSeconds, long requests, long rows, List<PoolSummary> pools,
    List<PolicyOutcome> policies, OracleOutcome oracle, double loadBucketSeconds,
    List<Double> loadRowsPerSecond) {

  /** A pool as the report shows it. */
  public record PoolSummary(String id, String accelerator, String instanceType,
      double pricePerHour, int maxBatch, int minReplicas, int maxReplicas) {}

  /**
   * One policy on its cheapest SLA-meeting fleet.
   *
   * @param meetsTargets false when no fleet within bounds met the SLAs (then the largest is shown)
   * @param fleetRuns simulations the static fleet search took
   * @param routedShare share of requests per pool
   * @param hourly the same policy on a fleet searched per simulated hour ({@link WindowedSearch})
   */
  public record PolicyOutcome(String policy, Map<String, Integer> fleet, double pricePerHour,
      double costDollars, double costPerMillion, boolean meetsTargets, int fleetRuns, long shed,
      List<TierSummary> tiers, Map<String, Double> routedShare, WindowedSearch.Outcome hourly) {}

  /**
   * The oracle (see {@link Oracle}); costs are NaN when no fleet within bounds is enough.
   *
   * @param fleet the static fleet, or null
   */
  public record OracleOutcome(@Nullable Map<String, Integer> fleet, double pricePerHour,
      double costDollars, double costPerMillion, double hourlyCostDollars,
      double hourlyCostPerMillion) {}

  /** Windows of the oracle's hourly variant: a simulated day has 24 hours. */
  public static final int ORACLE_WINDOWS = 24;
  private static final int LOAD_BUCKETS = 120;

  /** Searches a fleet for every policy and computes the oracle; progress lines go to the sink. */
  public static Comparison run(Scenario scenario, Trace trace, long seed, List<SimPolicy> policies,
      int maxRuns, Consumer<String> progress) {
    FleetSearch search = new FleetSearch(maxRuns, progress);
    WindowedSearch hourly = new WindowedSearch(maxRuns, ORACLE_WINDOWS, progress);
    List<PolicyOutcome> outcomes = new ArrayList<>();
    for (SimPolicy policy : policies) {
      progress.accept(policy.name() + ": searching the cheapest fleet that meets the SLAs");
      FleetSearch.Outcome found = search.search(scenario, trace, policy);
      RunResult run = found.run();
      Map<String, Double> share = new LinkedHashMap<>();
      long total = trace.size();
      for (int p = 0; p < scenario.pools().size(); p++) {
        share.put(scenario.pools().get(p).id(),
            total == 0 ? 0.0 : run.routedRequests(p) / (double) total);
      }
      outcomes.add(new PolicyOutcome(policy.name(), fleetMap(scenario, run.fleet()),
          run.fleet().pricePerHour(scenario.pools()), run.costDollars(), run.costPerMillion(),
          found.found() && run.meetsTargets(), found.runs(), run.shedTotal(), run.tierSummaries(),
          share, hourly.search(scenario, trace, policy)));
    }
    Oracle.Bound bound = Oracle.of(scenario, trace, ORACLE_WINDOWS);
    long rows = trace.totalRows();
    OracleOutcome oracle = new OracleOutcome(
        bound.fleet() == null ? null : fleetMap(scenario, bound.fleet()), bound.pricePerHour(),
        bound.costDollars(), bound.costDollars() / rows * 1e6, bound.hourlyCostDollars(),
        bound.hourlyCostDollars() / rows * 1e6);
    List<PoolSummary> pools = new ArrayList<>();
    for (PoolSpec pool : scenario.pools()) {
      pools.add(new PoolSummary(pool.id(), pool.accelerator().name().toLowerCase(java.util.Locale.ROOT),
          pool.instanceType(), pool.pricePerHour(), pool.curve().maxBatch(), pool.minReplicas(),
          pool.maxReplicas()));
    }
    long bucket = Math.max(1, trace.durationNanos() / LOAD_BUCKETS);
    List<Double> load = new ArrayList<>();
    for (double value : trace.rowsPerSecond(bucket)) {
      load.add(value);
    }
    return new Comparison(scenario.name(), scenario.model(), trace.description(), seed,
        trace.durationNanos() / 1e9, trace.size(), rows, pools, outcomes, oracle, bucket / 1e9, load);
  }

  private static Map<String, Integer> fleetMap(Scenario scenario, Fleet fleet) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int p = 0; p < scenario.pools().size(); p++) {
      map.put(scenario.pools().get(p).id(), fleet.replicas(p));
    }
    return map;
  }

  /** The outcome of the named policy, or null. */
  public @Nullable PolicyOutcome policy(String name) {
    for (PolicyOutcome outcome : policies) {
      if (outcome.policy().equals(name)) {
        return outcome;
      }
    }
    return null;
  }
}
