package dev.yardmaster.sim;

import dev.yardmaster.router.policy.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The fleet search per window (a simulated hour of a compressed day): what a policy would cost
 * under an autoscaler with perfect foresight and instant scaling, the counterpart of the oracle's
 * hourly bound. Each window is searched and simulated on its own, starting from empty queues, and
 * must meet the SLA targets by itself; the results are summed (cost) and merged (latencies).
 */
public final class WindowedSearch {

  /**
   * One policy on its per-window fleets.
   *
   * @param costDollars the sum of the windows' bills
   * @param costPerMillion dollars per million served inferences
   * @param meanPricePerHour the fleet price averaged over the windows
   * @param meetsTargets true when every window found a fleet that met the targets
   * @param runs simulations over all windows
   * @param shed requests shed over all windows
   * @param tiers merged per-tier outcome
   * @param windowFleets the fleet of each window, in order
   */
  public record Outcome(double costDollars, double costPerMillion, double meanPricePerHour,
      boolean meetsTargets, int runs, long shed, List<TierSummary> tiers,
      List<Map<String, Integer>> windowFleets) {}

  private final FleetSearch search;
  private final int windows;
  private final Consumer<String> progress;

  /**
   * @param maxRuns most fleets simulated per window
   * @param windows windows the trace is split into
   * @param progress receives one line per window
   */
  public WindowedSearch(int maxRuns, int windows, Consumer<String> progress) {
    if (windows < 1) {
      throw new IllegalArgumentException("windows: " + windows + " (expected: >= 1)");
    }
    this.search = new FleetSearch(maxRuns, line -> { });
    this.windows = windows;
    this.progress = progress;
  }

  public Outcome search(Scenario scenario, Trace trace, SimPolicy policy) {
    int tiers = scenario.tiers().size();
    long[] requests = new long[tiers];
    long[] shed = new long[tiers];
    long[] met = new long[tiers];
    Histogram[] latency = new Histogram[tiers];
    for (int t = 0; t < tiers; t++) {
      latency[t] = new Histogram(3);
    }
    double cost = 0;
    double priceSum = 0;
    long rows = 0;
    long shedTotal = 0;
    int runs = 0;
    boolean metAll = true;
    List<Map<String, Integer>> fleets = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      Trace window = trace.slice(trace.durationNanos() * w / windows,
          trace.durationNanos() * (w + 1) / windows);
      FleetSearch.Outcome found = search.search(scenario, window, policy);
      RunResult run = found.run();
      runs += found.runs();
      metAll &= found.found();
      cost += run.costDollars();
      priceSum += run.fleet().pricePerHour(scenario.pools());
      rows += run.servedRows();
      shedTotal += run.shedTotal();
      for (Tier tier : scenario.tiers()) {
        int t = tier.index();
        requests[t] += run.requests[t];
        shed[t] += run.shed[t];
        met[t] += run.met[t];
        latency[t].add(run.latencyMicros[t]);
      }
      Map<String, Integer> fleet = new LinkedHashMap<>();
      for (int p = 0; p < scenario.pools().size(); p++) {
        fleet.put(scenario.pools().get(p).id(), run.fleet().replicas(p));
      }
      fleets.add(fleet);
      progress.accept(String.format(java.util.Locale.ROOT, "%-12s window %2d/%d  %-32s $%.3f/h  %s",
          policy.name(), w + 1, windows, run.fleet().describe(scenario.pools()),
          run.fleet().pricePerHour(scenario.pools()), found.found() ? "meets SLAs" : "MISSES"));
    }
    return new Outcome(cost, rows == 0 ? Double.NaN : cost / rows * 1e6, priceSum / windows, metAll,
        runs, shedTotal, RunResult.summaries(scenario, requests, shed, met, latency), fleets);
  }
}
