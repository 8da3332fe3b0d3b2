package dev.yardmaster.router.policy;

import dev.yardmaster.router.policy.RouteDecision.Reason;

/**
 * The cost-aware policy of DESIGN.md "Routing policy". Feasible: predicted latency <= tier budget x
 * safety margin and <= time left to the deadline (best effort: queue wait plus how late the tier's
 * recent answers from the pool came <= max queue delay, so a pool that drains slower than its
 * profile stops taking best effort before its queue outgrows the delay). A
 * budgeted tier also needs the pool's predicted tail, the prediction plus how late the tier's
 * recent answers from the pool came at their tail ({@link PoolSnapshot#tailLatenessNanos}), within
 * the budget itself and the deadline: the margin stands for the error a prediction may have, and
 * once the error is measured it is held to the budget, so a pool that has just been missing its
 * predictions stops taking the tier at once while ordinary noise (within the margin) does not move
 * it. The feasible pool with the lowest cost per inference wins, ties to the lower predicted tail.
 * None feasible: best effort is shed (when profiled pools exist, i.e. they are all overloaded);
 * budgeted tiers take the pool with the lowest predicted tail if it makes the deadline, else the
 * first available pool in the fallback order, profiled or not. The result carries the plain
 * prediction, which the router's feedback compares its answers with.
 */
final class CheapestMeetingSla implements RoutingPolicy {

  private final double safetyMargin;
  private final AcceleratorKind[] fallbackOrder;
  private final double maxQueueDelayNanos;

  CheapestMeetingSla(RoutingConfig config) {
    this.safetyMargin = config.safetyMargin();
    this.fallbackOrder = config.fallbackOrder().toArray(new AcceleratorKind[0]);
    this.maxQueueDelayNanos = config.maxQueueDelayNanos();
  }

  @Override
  public String name() {
    return "cheapest-meeting-sla";
  }

  @Override
  public void route(int model, Tier tier, int rows, long deadlineNanos, int pinnedPool, PoolSnapshot snapshot,
      RouteResult result) {
    if (Policies.routePinned(pinnedPool, model, rows, snapshot, result)) {
      return;
    }
    boolean bestEffort = tier.isBestEffort();
    double budget = bestEffort ? Double.POSITIVE_INFINITY : tier.p99BudgetNanos() * safetyMargin;
    double tailBudget = bestEffort ? Double.POSITIVE_INFINITY : tier.p99BudgetNanos();
    double timeLeft = deadlineNanos == RouteRequest.NO_DEADLINE
        ? Double.POSITIVE_INFINITY
        : (double) deadlineNanos - (double) snapshot.nowNanos();

    int cheapest = -1;
    double cheapestCost = Double.POSITIVE_INFINITY;
    double cheapestTail = Double.POSITIVE_INFINITY;
    double cheapestLatency = Double.POSITIVE_INFINITY;
    int fastest = -1;
    double fastestTail = Double.POSITIVE_INFINITY;
    double fastestLatency = Double.POSITIVE_INFINITY;
    for (int p = 0; p < snapshot.size(); p++) {
      double predicted = snapshot.predictedLatencyNanos(p, model, rows);
      if (!(predicted < Double.POSITIVE_INFINITY)) {
        continue; // unavailable, no profile, or NaN
      }
      double tail = bestEffort ? predicted : predicted + snapshot.tailLatenessNanos(p);
      if (tail < fastestTail) {
        fastest = p;
        fastestTail = tail;
        fastestLatency = predicted;
      }
      if (!(predicted <= budget && tail <= tailBudget && tail <= timeLeft)) {
        continue;
      }
      if (bestEffort && !(snapshot.queueWaitNanos(p, model) + snapshot.tailLatenessNanos(p) <= maxQueueDelayNanos)) {
        continue; // a pool that drains slower than its profile says shows it in how late its queued answers come
      }
      double cost = snapshot.costPerInference(p, model, tier);
      if (!(cost < Double.POSITIVE_INFINITY)) {
        continue; // no batch within budget, or an odd price
      }
      if (cheapest < 0 || cost < cheapestCost
          || (cost == cheapestCost && tail < cheapestTail)) {
        cheapest = p;
        cheapestCost = cost;
        cheapestTail = tail;
        cheapestLatency = predicted;
      }
    }
    if (cheapest >= 0) {
      result.set(cheapest, Reason.CHEAPEST_FEASIBLE, Math.round(cheapestLatency));
    } else if (bestEffort && fastest >= 0) {
      result.shed(); // every profiled pool is beyond the max queue delay or the deadline
    } else if (!bestEffort && fastest >= 0 && fastestTail <= timeLeft) {
      result.set(fastest, Reason.FALLBACK, Math.round(fastestLatency));
    } else {
      routeByFallbackOrder(model, rows, snapshot, result);
    }
  }

  private void routeByFallbackOrder(int model, int rows, PoolSnapshot snapshot, RouteResult result) {
    for (AcceleratorKind kind : fallbackOrder) {
      int pool = Policies.leastLoaded(snapshot, kind);
      if (pool >= 0) {
        result.set(pool, Reason.FALLBACK, Policies.predictedOrUnknown(snapshot, pool, model, rows));
        return;
      }
    }
    result.shed();
  }

  @Override
  public String toString() {
    return name() + "{safetyMargin=" + safetyMargin + '}';
  }
}
