package dev.yardmaster.router.policy;

import java.util.List;

/**
 * An SLA tier: its p99 latency budget (or best effort) and its batcher priority.
 *
 * @param name e.g. {@code gold}
 * @param index position in the tier list, used to index per-tier facts in a {@link ServiceCurve}
 * @param p99BudgetNanos the p99 budget, or {@link #BEST_EFFORT}
 * @param priority Triton priority level, 1 is the highest
 */
public record Tier(String name, int index, long p99BudgetNanos, int priority) {

  /** Budget of a best-effort tier: no latency promise, shed first under overload. */
  public static final long BEST_EFFORT = Long.MAX_VALUE;

  public static final Tier GOLD = new Tier("gold", 0, 50_000_000L, 1);
  public static final Tier SILVER = new Tier("silver", 1, 150_000_000L, 2);
  public static final Tier BRONZE = new Tier("bronze", 2, BEST_EFFORT, 3);

  /** The default tiers: gold p99 <= 50 ms, silver <= 150 ms, bronze best effort. */
  public static final List<Tier> DEFAULTS = List.of(GOLD, SILVER, BRONZE);

  public Tier {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: non-empty)");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    if (p99BudgetNanos <= 0) {
      throw new IllegalArgumentException(
          "p99BudgetNanos: " + p99BudgetNanos + " (expected: > 0, or BEST_EFFORT)");
    }
  }

  public static Tier bestEffort(String name, int index, int priority) {
    return new Tier(name, index, BEST_EFFORT, priority);
  }

  public boolean isBestEffort() {
    return p99BudgetNanos == BEST_EFFORT;
  }
}
