package dev.yardmaster.router.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What the router learned about one pool from its answers: the EWMA of observed minus predicted
 * latency (the online correction added to every prediction for the pool) and the attributed cost.
 */
final class PoolFeedback {

  /** Weight of the newest residual sample. */
  static final double ALPHA = 0.2;

  private final AtomicLong residualNanos = new AtomicLong();
  private final DoubleAdder costDollars = new DoubleAdder();

  long residualNanos() {
    return residualNanos.get();
  }

  /** Moves the residual toward {@code observed - predicted}, where predicted already included it. */
  void observe(long observedNanos, long predictedNanos) {
    long error = observedNanos - predictedNanos;
    residualNanos.getAndUpdate(old -> old + Math.round(ALPHA * error));
  }

  /** Adds the request's share of a replica's time at the pool's price. */
  void attribute(double pricePerHour, long latencyNanos, int sharers) {
    if (pricePerHour > 0 && latencyNanos > 0) {
      costDollars.add(pricePerHour / 3600.0 * (latencyNanos / 1e9) / Math.max(1, sharers));
    }
  }

  double costDollars() {
    return costDollars.sum();
  }
}
