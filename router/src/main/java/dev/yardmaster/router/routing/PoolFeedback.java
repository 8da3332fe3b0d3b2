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

  /**
   * Moves the residual toward {@code (observed - uncorrected prediction) / services}: the error
   * per service the request waited for ({@code services} = its own plus the queued ones ahead of it
   * on a replica), since a service-time error repeats once per request ahead. Uncorrected (without
   * the residual the prediction included), so that answers to requests routed before earlier
   * answers arrived do not each add the same error again: the residual converges to the bias.
   */
  void observe(long observedNanos, long uncorrectedPredictionNanos, long services) {
    double error = (observedNanos - uncorrectedPredictionNanos) / (double) Math.max(1, services);
    residualNanos.getAndUpdate(old -> Math.round(old + ALPHA * (error - old)));
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
