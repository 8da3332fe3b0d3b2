package dev.yardmaster.router.policy;

import java.util.List;
import java.util.Set;

/**
 * Knobs of {@link RoutingPolicy#cheapestMeetingSla(RoutingConfig)}, the {@code routing} config
 * section.
 *
 * @param safetyMargin share of a tier's budget a prediction may use, in (0, 1]
 * @param fallbackOrder accelerator kinds tried in order when no pool is feasible
 * @param maxQueueDelayNanos a best-effort request is shed when every profiled pool's queue wait
 *     exceeds this
 */
public record RoutingConfig(
    double safetyMargin, List<AcceleratorKind> fallbackOrder, long maxQueueDelayNanos) {

  public static final double DEFAULT_SAFETY_MARGIN = 0.8;
  public static final List<AcceleratorKind> DEFAULT_FALLBACK =
      List.of(AcceleratorKind.GPU, AcceleratorKind.INFERENTIA, AcceleratorKind.CPU);
  public static final long DEFAULT_MAX_QUEUE_DELAY_NANOS = 1_000_000_000L;

  public RoutingConfig {
    if (!(safetyMargin > 0 && safetyMargin <= 1)) {
      throw new IllegalArgumentException(
          "safety_margin: " + safetyMargin + " (expected: > 0 and <= 1)");
    }
    fallbackOrder = List.copyOf(fallbackOrder);
    if (Set.copyOf(fallbackOrder).size()
        != fallbackOrder.size()) {
      throw new IllegalArgumentException(
          "fallback: " + fallbackOrder + " (expected: each of gpu, inferentia, cpu at most once)");
    }
    if (maxQueueDelayNanos <= 0) {
      throw new IllegalArgumentException(
          "max_queue_delay_nanos: " + maxQueueDelayNanos + " (expected: > 0)");
    }
  }

  /** safety margin 0.8, fallback [gpu, inferentia, cpu], max queue delay 1 s. */
  public static RoutingConfig defaults() {
    return new RoutingConfig(DEFAULT_SAFETY_MARGIN, DEFAULT_FALLBACK, DEFAULT_MAX_QUEUE_DELAY_NANOS);
  }

  public RoutingConfig withSafetyMargin(double margin) {
    return new RoutingConfig(margin, fallbackOrder, maxQueueDelayNanos);
  }

  public RoutingConfig withFallbackOrder(List<AcceleratorKind> order) {
    return new RoutingConfig(safetyMargin, order, maxQueueDelayNanos);
  }

  public RoutingConfig withMaxQueueDelayNanos(long nanos) {
    return new RoutingConfig(safetyMargin, fallbackOrder, nanos);
  }
}
