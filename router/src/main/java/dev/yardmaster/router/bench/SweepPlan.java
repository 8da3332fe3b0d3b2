package dev.yardmaster.router.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a serving sweep measures: every model at every concurrency, batching off then on, each
 * point a warm-up and a measurement window of batch-1 requests.
 *
 * @param models model names in the demo repository
 * @param concurrencies closed-loop stream counts, e.g. 1, 4, 16, 64
 * @param warmUp unrecorded load before each point
 * @param measure each point's measurement window
 */
public record SweepPlan(
    List<String> models, List<Integer> concurrencies, Duration warmUp, Duration measure) {

  /** The concurrencies of the sweep. */
  public static final List<Integer> STANDARD_CONCURRENCIES = List.of(1, 4, 16, 64);

  /** Copies the lists and validates them. */
  public SweepPlan {
    models = List.copyOf(models);
    concurrencies = List.copyOf(concurrencies);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models: [] (expected: at least one model)");
    }
    if (concurrencies.isEmpty() || concurrencies.stream().anyMatch(c -> c < 1)) {
      throw new IllegalArgumentException(
          "concurrencies: " + concurrencies + " (expected: at least one, each >= 1)");
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("warmUp: " + warmUp + " (expected: >= 0)");
    }
    if (measure.isNegative() || measure.isZero()) {
      throw new IllegalArgumentException("measure: " + measure + " (expected: > 0)");
    }
  }

  /** Points a full sweep runs: models x concurrencies x batching off/on. */
  public int pointCount() {
    return models.size() * concurrencies.size() * 2;
  }

  /** The wall time the load itself takes, without server start-up. */
  public Duration loadTime() {
    return warmUp.plus(measure).multipliedBy(pointCount());
  }
}
