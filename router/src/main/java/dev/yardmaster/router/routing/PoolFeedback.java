package dev.yardmaster.router.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What the router learned about one pool from its answers: the EWMA of observed minus predicted
 * latency (the online correction added to every prediction for the pool), how late each budgeted
 * tier's recent answers came at their tail (added to that tier's predictions, see {@link
 * TailLateness}) and the attributed cost.
 */
final class PoolFeedback {

  /** Weight of the newest residual sample. */
  static final double ALPHA = 0.2;

  private final AtomicLong residualNanos = new AtomicLong();
  private final AtomicLong answers = new AtomicLong();
  private final DoubleAdder costDollars = new DoubleAdder();
  /** By tier index; grown (copied) when a tier with a higher index first answers, never shrunk. */
  private volatile TailLateness[] tailLatenessByTier = new TailLateness[0];

  long residualNanos() {
    return residualNanos.get();
  }

  /** Answers (of any outcome) the pool gave so far; read when a request is routed. */
  long answers() {
    return answers.get();
  }

  /**
   * Counts an answer and returns how many other answers came since {@code answersAtRoute}, i.e.
   * while this request was in flight.
   */
  long answered(long answersAtRoute) {
    return answers.incrementAndGet() - 1 - answersAtRoute;
  }

  /**
   * Moves the residual toward {@code observed - uncorrected prediction} of a request that had a
   * replica to itself: none queued ahead of it when routed, and no more answers while it was in
   * flight than requests were already there (the replicas beside it). Only those: a queued or
   * overtaken request's error depends on the order the backend serves in (Triton reorders by
   * priority; several connections reorder too), and an EWMA of such errors drifts far from the
   * bias. Uncorrected (without the residual the prediction included), so the residual converges to
   * the bias of service time plus overhead.
   */
  void observe(long observedNanos, long uncorrectedPredictionNanos, long queuedAhead, long otherAnswers,
      int inFlightAtRoute) {
    if (queuedAhead > 0 || otherAnswers > inFlightAtRoute) {
      return;
    }
    double error = observedNanos - uncorrectedPredictionNanos;
    residualNanos.getAndUpdate(old -> Math.round(old + ALPHA * (error - old)));
  }

  /**
   * Counts how late ({@code observed - prediction}, the prediction routing used, residual included)
   * an answer of a tier came. Every one counts, queued or not: a tier's SLA is about all its
   * answers, and a pool that is slower than its profile under load (one that drains fewer rows a
   * second than profiled) shows it only there; for best effort it is how much longer than
   * predicted its queue really made it wait. Kept per tier: where a pool serves by Triton priority,
   * a lower tier is late because higher ones overtook it, which says nothing about them.
   */
  void observeLateness(int tier, long nowNanos, long latenessNanos) {
    TailLateness[] byTier = tailLatenessByTier;
    (tier < byTier.length ? byTier[tier] : grow(tier)).record(nowNanos, latenessNanos);
  }

  /** The recent tail lateness of the tier's answers at {@code nowNanos}; 0 once none is recent. */
  long tailLatenessNanos(int tier, long nowNanos) {
    TailLateness[] byTier = tailLatenessByTier;
    return tier < byTier.length ? byTier[tier].tailNanos(nowNanos) : 0;
  }

  private synchronized TailLateness grow(int tier) {
    TailLateness[] byTier = tailLatenessByTier;
    if (tier >= byTier.length) {
      TailLateness[] grown = Arrays.copyOf(byTier, tier + 1);
      for (int t = byTier.length; t <= tier; t++) {
        grown[t] = new TailLateness();
      }
      tailLatenessByTier = grown;
      byTier = grown;
    }
    return byTier[tier];
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
