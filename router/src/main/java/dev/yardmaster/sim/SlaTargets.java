package dev.yardmaster.sim;

/**
 * What a fleet must achieve on a trace to count as meeting the SLAs.
 *
 * @param budgetedCompliance share of each budgeted tier's requests (gold, silver) that must finish
 *     within the tier's p99 budget; shed requests count as misses
 * @param bestEffortServed share of best-effort (bronze) requests that must be served, neither shed
 *     nor slower than {@code bestEffortTimeoutNanos}
 * @param bestEffortTimeoutNanos a best-effort request slower than this counts as not served
 */
public record SlaTargets(
    double budgetedCompliance, double bestEffortServed, long bestEffortTimeoutNanos) {

  /** 99.9% of gold and silver within budget; 99.9% of bronze served within 1 s. */
  public static final SlaTargets DEFAULT = new SlaTargets(0.999, 0.999, 1_000_000_000L);

  public SlaTargets {
    if (!(budgetedCompliance > 0 && budgetedCompliance <= 1)) {
      throw new IllegalArgumentException(
          "budgeted_compliance: " + budgetedCompliance + " (expected: > 0 and <= 1)");
    }
    if (!(bestEffortServed >= 0 && bestEffortServed <= 1)) {
      throw new IllegalArgumentException(
          "best_effort_served: " + bestEffortServed + " (expected: >= 0 and <= 1)");
    }
    if (bestEffortTimeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "best_effort_timeout_nanos: " + bestEffortTimeoutNanos + " (expected: > 0)");
    }
  }
}
