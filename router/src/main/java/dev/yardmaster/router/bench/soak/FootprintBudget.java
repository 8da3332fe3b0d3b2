package dev.yardmaster.router.bench.soak;

/**
 * One of DESIGN.md's footprint budgets, measured: a value that must stay at or below a limit.
 *
 * @param name what is measured, e.g. {@code start-up to ready (median of 3 launches)}
 * @param measured the measured value, in {@code unit}
 * @param limit the most the budget allows, in {@code unit}
 * @param unit e.g. {@code s} or {@code MiB}
 * @param passed whether {@code measured <= limit}
 */
public record FootprintBudget(String name, double measured, double limit, String unit, boolean passed) {

  /** A check of {@code measured <= limit}. */
  public static FootprintBudget atMost(String name, double measured, double limit, String unit) {
    return new FootprintBudget(name, measured, limit, unit, measured <= limit);
  }
}
