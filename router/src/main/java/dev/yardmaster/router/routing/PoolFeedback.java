package dev.yardmaster.router.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What the router learned about one pool from its answers: the EWMA of observed minus predicted
 * latency (the online correction added to every prediction for the pool, fading once the pool's
 * answers stop coming), how late each tier is
 * there (its recent answers at their tail, {@link TailLateness}, or its oldest request still
 * waiting, {@link InFlightLateness}; added to that tier's predictions, best effort's queue wait)
 * and the attributed cost.
 */
final class PoolFeedback {

  /** Weight of the newest residual sample. */
  static final double ALPHA = 0.2;
  /** How long the residual holds without a new sample, as {@link TailLateness} holds a tail. */
  static final long RESIDUAL_HOLD_NANOS = TailLateness.WINDOW_NANOS;
  /** After the hold, the residual halves every this long until a sample comes. */
  static final long RESIDUAL_HALF_LIFE_NANOS = 500_000_000L;

  private final AtomicLong residualNanos = new AtomicLong();
  /** When the residual last moved; it fades from {@link #RESIDUAL_HOLD_NANOS} after. */
  private volatile long residualMovedAtNanos;
  private final AtomicLong answers = new AtomicLong();
  private final DoubleAdder costDollars = new DoubleAdder();
  /** By tier index; grown (copied) when a tier with a higher index is first seen, never shrunk. */
  private volatile TierLateness[] byTier = new TierLateness[0];

  /** One tier's lateness at the pool: of its answers, and of its requests still waiting. */
  private record TierLateness(TailLateness answers, InFlightLateness waiting) {}

  /**
   * The residual at {@code nowNanos}: as learned while samples come, then fading (halving every
   * {@link #RESIDUAL_HALF_LIFE_NANOS} once {@link #RESIDUAL_HOLD_NANOS} passed without one). A pool
   * whose residual priced it out of every tier gets no answers to correct it; without the fade it
   * would stay out after it recovered. Fading, it is tried again, sooner the smaller its residual
   * was, and an answer on time or a late one sets the residual again.
   */
  long residualNanos(long nowNanos) {
    return faded(residualNanos.get(), nowNanos - residualMovedAtNanos);
  }

  private static long faded(long residual, long sinceMovedNanos) {
    long idle = sinceMovedNanos - RESIDUAL_HOLD_NANOS;
    if (idle < 0 || residual == 0) {
      return residual;
    }
    long halvings = idle / RESIDUAL_HALF_LIFE_NANOS + 1;
    return halvings >= Long.SIZE - 1 ? 0 : residual / (1L << halvings);
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
  void observe(long nowNanos, long observedNanos, long uncorrectedPredictionNanos, long queuedAhead,
      long otherAnswers, int inFlightAtRoute) {
    if (queuedAhead > 0 || otherAnswers > inFlightAtRoute) {
      return;
    }
    double error = observedNanos - uncorrectedPredictionNanos;
    long sinceMoved = nowNanos - residualMovedAtNanos;
    residualNanos.getAndUpdate(old -> {
      long start = faded(old, sinceMoved);
      return Math.round(start + ALPHA * (error - start));
    });
    residualMovedAtNanos = nowNanos;
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
    of(tier).answers().record(nowNanos, latenessNanos);
  }

  /**
   * How late the tier is at the pool at {@code nowNanos}: the recent tail lateness of its answers,
   * or how late its oldest unanswered request already is, whichever is more ({@link
   * InFlightLateness}); 0 once none is recent and nothing is past due.
   */
  long tailLatenessNanos(int tier, long nowNanos) {
    TierLateness[] tiers = byTier;
    if (tier >= tiers.length) {
      return 0;
    }
    return Math.max(tiers[tier].answers().tailNanos(nowNanos), tiers[tier].waiting().latenessNanos(nowNanos));
  }

  /** A request of the tier routed to the pool, due by its prediction at {@code dueNanos}. */
  void requestRouted(int tier, long dueNanos) {
    of(tier).waiting().routed(dueNanos);
  }

  /** One of the tier's routed requests answered, with a response or a status. */
  void requestAnswered(int tier) {
    of(tier).waiting().answered();
  }

  private TierLateness of(int tier) {
    TierLateness[] tiers = byTier;
    return tier < tiers.length ? tiers[tier] : grow(tier);
  }

  private synchronized TierLateness grow(int tier) {
    TierLateness[] tiers = byTier;
    if (tier >= tiers.length) {
      TierLateness[] grown = Arrays.copyOf(tiers, tier + 1);
      for (int t = tiers.length; t <= tier; t++) {
        grown[t] = new TierLateness(new TailLateness(), new InFlightLateness());
      }
      byTier = grown;
      tiers = grown;
    }
    return tiers[tier];
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
