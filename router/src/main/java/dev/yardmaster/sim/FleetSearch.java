package dev.yardmaster.sim;

import java.util.List;
import java.util.function.Consumer;

/**
 * Finds the cheapest fleet on which a policy meets the SLA targets on a trace. It enumerates every
 * fleet within the replica bounds (pools the policy cannot route to held at their min), drops those
 * below the {@link FluidBound} (they cannot meet the targets with any routing), and simulates the
 * rest cheapest first, stopping each run as soon as a tier has missed more than its target allows;
 * the first fleet that passes is the answer. This is exact over the bounded grid (no monotonicity
 * is assumed) and usually needs few runs, because the bound discards the cheap hopeless fleets and
 * failing runs stop early. At most {@code maxRuns} fleets are tried.
 */
public final class FleetSearch {

  /**
   * @param run the whole-trace run on the chosen fleet, or on the largest fleet when none passed
   * @param found true when a fleet met the targets
   * @param runs simulations it took
   */
  public record Outcome(RunResult run, boolean found, int runs) {}

  private final int maxRuns;
  private final Consumer<String> progress;

  /**
   * @param maxRuns most fleets simulated per policy
   * @param progress receives one line per fleet tried (e.g. stderr), or does nothing
   */
  public FleetSearch(int maxRuns, Consumer<String> progress) {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns: " + maxRuns + " (expected: >= 1)");
    }
    this.maxRuns = maxRuns;
    this.progress = progress;
  }

  public Outcome search(Scenario scenario, Trace trace, SimPolicy policy) {
    boolean[] usable = policy.usablePools(scenario);
    FluidBound bound = FluidBound.of(scenario, trace, 0, trace.size());
    List<Fleet> candidates = Fleets.cheapestFirst(scenario, usable);
    int runs = 0;
    for (Fleet fleet : candidates) {
      if (runs == maxRuns) {
        break;
      }
      if (!bound.admits(scenario, fleet, usable)) {
        continue;
      }
      runs++;
      RunResult run = new Simulation(scenario, trace, policy.factory().apply(scenario), fleet, true).run();
      boolean passed = run.meetsTargets();
      progress.accept(String.format("%-12s try %2d  %-32s $%.3f/h  %s", policy.name(), runs,
          fleet.describe(scenario.pools()), fleet.pricePerHour(scenario.pools()),
          passed ? "meets SLAs" : "misses"));
      if (passed) {
        return new Outcome(run, true, runs);
      }
    }
    int[] counts = new int[scenario.pools().size()];
    for (int p = 0; p < counts.length; p++) {
      PoolSpec pool = scenario.pools().get(p);
      counts[p] = usable[p] ? pool.maxReplicas() : pool.minReplicas();
    }
    Fleet largest = Fleet.of(counts);
    progress.accept(policy.name() + ": no fleet within bounds met the SLAs in " + runs
        + " runs; reporting the largest fleet " + largest.describe(scenario.pools()));
    RunResult run = new Simulation(scenario, trace, policy.factory().apply(scenario), largest, false).run();
    return new Outcome(run, false, runs + 1);
  }
}
