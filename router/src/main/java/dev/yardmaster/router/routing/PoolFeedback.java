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
   * Moves the residual toward {@code observed - uncorrected prediction} of a request that found a
   * replica free (no rows queued ahead of it). Only those: a queued request's error depends on the
   * order the backend serves its queue in (Triton reorders by priority), so under load the latest
   * answers are the ones that waited longest whatever their prediction, and an EWMA of them drifts
   * far from the bias. Uncorrected (without the residual the prediction included), so the residual
   * converges to the bias of service time plus overhead.
   *
   * @param queuedAhead rows per replica that were ahead of the request when it was routed
   */
  void observe(long observedNanos, long uncorrectedPredictionNanos, long queuedAhead) {
    if (queuedAhead > 0) {
      return;
    }
    double error = observedNanos - uncorrectedPredictionNanos;
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
