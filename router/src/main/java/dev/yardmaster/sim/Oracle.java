package dev.yardmaster.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The lower bound on cost: a policy that knows the whole trace in advance. Its fleet is the
 * cheapest one within the replica bounds whose capacity meets the {@link FluidBound} of the trace,
 * which is what perfect foresight, perfect routing and always-full batches would need; no
 * simulated policy can meet the SLAs on a cheaper static fleet (up to the 0.1% the targets allow
 * to miss). Its hourly variant may change the fleet every window (a simulated hour of a compressed
 * day): the same bound per window, billed per window, i.e. an autoscaler with perfect foresight and
 * no start-up time. Neither is simulated: they are bounds, not runs.
 */
public final class Oracle {

  /**
   * @param fleet the static fleet, or null when no fleet within bounds has the capacity
   * @param pricePerHour that fleet's dollars per hour (NaN when none)
   * @param costDollars that fleet over the trace duration (NaN when none)
   * @param hourlyCostDollars the per-window variant's bill over the trace (NaN when a window has no
   *     fleet)
   * @param windowFleets the per-window fleets
   */
  public record Bound(@Nullable Fleet fleet, double pricePerHour, double costDollars,
      double hourlyCostDollars, List<Fleet> windowFleets) {}

  private Oracle() {}

  /** Computes the bounds; {@code windows} splits the trace for the hourly variant. */
  public static Bound of(Scenario scenario, Trace trace, int windows) {
    boolean[] all = new boolean[scenario.pools().size()];
    Arrays.fill(all, true);
    List<Fleet> candidates = Fleets.cheapestFirst(scenario, all);
    Fleet fleet = cheapest(scenario, candidates, FluidBound.of(scenario, trace, 0, trace.size()));
    double price = fleet == null ? Double.NaN : fleet.pricePerHour(scenario.pools());
    double hourly = 0;
    List<Fleet> windowFleets = new ArrayList<>();
    int from = 0;
    for (int w = 0; w < windows; w++) {
      long start = trace.durationNanos() * w / windows;
      long end = trace.durationNanos() * (w + 1) / windows;
      int to = from;
      while (to < trace.size() && trace.atNanos(to) < end) {
        to++;
      }
      Fleet windowFleet = cheapest(scenario, candidates, FluidBound.of(scenario, trace, from, to));
      if (windowFleet == null) {
        hourly = Double.NaN;
      } else {
        windowFleets.add(windowFleet);
        // billed as the windowed search bills, so equal fleets give equal sums
        hourly += windowFleet.pricePerHour(scenario.pools()) * (end - start) / 3.6e12;
      }
      from = to;
    }
    return new Bound(fleet, price, price * trace.durationNanos() / 3.6e12, hourly, windowFleets);
  }

  private static @Nullable Fleet cheapest(Scenario scenario, List<Fleet> cheapestFirst, FluidBound bound) {
    boolean[] all = new boolean[scenario.pools().size()];
    Arrays.fill(all, true);
    for (Fleet fleet : cheapestFirst) {
      if (bound.admits(scenario, fleet, all)) {
        return fleet;
      }
    }
    return null;
  }
}
