package dev.yardmaster.sim;

import dev.yardmaster.router.policy.PoolSnapshot;
import dev.yardmaster.router.policy.RouteRequest;
import dev.yardmaster.router.policy.RouteResult;
import dev.yardmaster.router.policy.RoutingPolicy;
import dev.yardmaster.router.policy.ServiceCurve;
import dev.yardmaster.router.policy.Tier;
import java.util.PriorityQueue;

/**
 * A discrete-event run of one trace through one policy on one fleet. Per arrival it rewrites a
 * {@link PoolSnapshot} from the simulated state (queued rows, in-flight requests, replicas, now)
 * and calls {@link RoutingPolicy#route}, the same code the server runs. The chosen pool hands the
 * request to its replica with the fewest queued plus executing rows (join the shortest queue).
 *
 * <p>Each replica is a dynamic batcher: while it executes a batch, requests queue by tier priority
 * (FIFO within a tier); when it is idle it starts a batch once the queue holds a full batch or the
 * oldest request has waited the pool's max queue delay, taking requests in priority order while
 * they fit. A full batch is the curve's {@linkplain #preferredBatch most efficient} one. A batch of b rows takes the curve's latency(b). A request's latency is
 * its batch's completion minus its arrival. Time is integer nanoseconds; events at the same
 * instant run completions and timers first, then arrivals, in a fixed order, so a run is
 * deterministic.
 */
public final class Simulation {

  private record Event(long atNanos, long sequence, Replica replica, boolean timer) {}

  private static final class Replica {
    final int pool;
    final IntQueue[] queuesByPriority;
    long queuedRows;
    int[] batch = new int[0];
    int batchSize;
    int batchRows;
    boolean busy;
    long timerAt = -1;

    Replica(int pool, int priorities) {
      this.pool = pool;
      this.queuesByPriority = new IntQueue[priorities];
      for (int i = 0; i < priorities; i++) {
        queuesByPriority[i] = new IntQueue();
      }
    }
  }

  private final Scenario scenario;
  private final Trace trace;
  private final RoutingPolicy policy;
  private final Fleet fleet;
  private final boolean stopWhenMissed;
  private final Replica[][] replicas;
  private final long[] poolQueuedRows;
  private final int[] poolQueuedRequests;
  private final long[] poolExecutingRows;
  private final int[] poolInFlight;
  private boolean inFlightAsQueued;
  private long overheadNanos;
  private final int[] priorityRank; // tier index -> queue position, highest priority first
  private final int[] preferredBatch; // per pool
  private final long[] allowedMisses;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
          ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.sequence, b.sequence));
  private final RouteResult decision = new RouteResult();
  private final PoolSnapshot.Reusable snapshot;
  private final RunResult result;
  private long sequence;
  private CompletionListener listener = (request, pool, latencyNanos) -> { };

  /** Sees every served request; for tests that check exact latencies. */
  @FunctionalInterface
  interface CompletionListener {
    void completed(int request, int pool, long latencyNanos);
  }

  /**
   * @param stopWhenMissed stop as soon as a tier has missed more requests than its target allows
   *     (the fleet search only needs pass or fail); false runs the whole trace
   */
  public Simulation(Scenario scenario, Trace trace, RoutingPolicy policy, Fleet fleet,
      boolean stopWhenMissed) {
    if (fleet.replicas().size() != scenario.pools().size()) {
      throw new IllegalArgumentException("fleet: " + fleet.replicas() + " (expected: "
          + scenario.pools().size() + " replica counts, one per pool)");
    }
    this.scenario = scenario;
    this.trace = trace;
    this.policy = policy;
    this.fleet = fleet;
    this.stopWhenMissed = stopWhenMissed;
    int tiers = scenario.tiers().size();
    this.priorityRank = new int[tiers];
    for (Tier tier : scenario.tiers()) {
      int rank = 0;
      for (Tier other : scenario.tiers()) {
        if (other.priority() < tier.priority()
            || (other.priority() == tier.priority() && other.index() < tier.index())) {
          rank++;
        }
      }
      priorityRank[tier.index()] = rank;
    }
    int pools = scenario.pools().size();
    this.replicas = new Replica[pools][];
    for (int p = 0; p < pools; p++) {
      replicas[p] = new Replica[fleet.replicas(p)];
      for (int r = 0; r < replicas[p].length; r++) {
        replicas[p][r] = new Replica(p, tiers);
      }
    }
    this.preferredBatch = new int[pools];
    for (int p = 0; p < pools; p++) {
      preferredBatch[p] = preferredBatch(scenario.pools().get(p).curve());
    }
    this.snapshot = new PoolSnapshot.Reusable(pools);
    this.poolQueuedRows = new long[pools];
    this.poolQueuedRequests = new int[pools];
    this.poolExecutingRows = new long[pools];
    this.poolInFlight = new int[pools];
    this.result = new RunResult(scenario, policy.name(), fleet, trace.durationNanos());
    long[] requests = trace.requestsByTier(tiers);
    this.allowedMisses = new long[tiers];
    for (Tier tier : scenario.tiers()) {
      double target = tier.isBestEffort()
          ? scenario.targets().bestEffortServed()
          : scenario.targets().budgetedCompliance();
      int t = tier.index();
      allowedMisses[t] = requests[t] - (long) Math.ceil(target * requests[t] - 1e-9);
    }
  }

  /**
   * Routes on what the live router sees of a remote pool instead of the pool's own queue: every
   * row dispatched and not yet answered counts as queued (executing ones too) and every such
   * request as in flight, since the router counts what it sent, not what the backend has started.
   * Use it to compare with a live run; the default (the batchers' queues) is what an in-process
   * pool or a router reading queue gauges would see.
   */
  public Simulation seeingDispatchedRowsAsQueued() {
    this.inFlightAsQueued = true;
    return this;
  }

  /**
   * Adds {@code nanos} of network and dispatch overhead to every request's latency (time spent on
   * the wire and in the router, not on a replica) and to every prediction, as the live router's
   * learned residual converges to it. A live run on loopback measures it (SIMULATOR.md,
   * "Agreement with the live router"); the default is none.
   */
  public Simulation withOverheadNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("overheadNanos: " + nanos + " (expected: >= 0)");
    }
    this.overheadNanos = nanos;
    return this;
  }

  Simulation onCompletion(CompletionListener completionListener) {
    this.listener = completionListener;
    return this;
  }

  /**
   * The batch the batcher aims for: the one with the most rows per second (the largest on ties),
   * like Triton's preferred batch size. It is the max batch on a curve whose throughput keeps
   * rising, and keeps a measured curve with a slow large batch from forming it.
   */
  static int preferredBatch(ServiceCurve curve) {
    int best = 1;
    double bestThroughput = 0;
    for (int b = 1; b <= curve.maxBatch(); b++) {
      double throughput = b / (double) curve.serviceNanos(b);
      if (throughput >= bestThroughput) {
        best = b;
        bestThroughput = throughput;
      }
    }
    return best;
  }

  /** Runs the trace to the end (or until a tier has missed too much) and returns what it saw. */
  public RunResult run() {
    int next = 0;
    int size = trace.size();
    while (next < size || !events.isEmpty()) {
      Event event = events.peek();
      if (event != null && (next >= size || event.atNanos <= trace.atNanos(next))) {
        events.poll();
        if (event.timer) {
          if (event.replica.timerAt == event.atNanos) {
            event.replica.timerAt = -1;
            tryStart(event.replica, event.atNanos);
          }
        } else {
          complete(event.replica, event.atNanos);
        }
      } else {
        arrive(next++);
      }
      if (result.aborted) {
        break;
      }
    }
    return result;
  }

  private void arrive(int request) {
    long now = trace.atNanos(request);
    int tier = trace.tier(request);
    result.requests[tier]++;
    policy.route(0, scenario.tiers().get(tier), trace.rows(request), RouteRequest.NO_DEADLINE,
        RouteRequest.NOT_PINNED, snapshot(now), decision);
    int pool = decision.pool();
    if (pool < 0 || pool >= replicas.length || replicas[pool].length == 0) {
      result.shed[tier]++;
      miss(tier);
      return;
    }
    Replica target = replicas[pool][0];
    long targetLoad = Long.MAX_VALUE;
    for (Replica replica : replicas[pool]) {
      long load = replica.queuedRows + replica.batchRows;
      if (load < targetLoad) {
        target = replica;
        targetLoad = load;
      }
    }
    int rows = trace.rows(request);
    target.queuesByPriority[priorityRank[tier]].add(request);
    target.queuedRows += rows;
    poolQueuedRows[pool] += rows;
    poolQueuedRequests[pool]++;
    result.routedRequests[pool]++;
    result.routedRows[pool] += rows;
    tryStart(target, now);
  }

  /** The simulated state now, rewritten in place: one snapshot per run, none per arrival. */
  private PoolSnapshot snapshot(long now) {
    snapshot.begin(now);
    for (int p = 0; p < replicas.length; p++) {
      PoolSpec pool = scenario.pools().get(p);
      int count = replicas[p].length;
      long queued = inFlightAsQueued ? poolQueuedRows[p] + poolExecutingRows[p] : poolQueuedRows[p];
      int inFlight = inFlightAsQueued ? poolInFlight[p] + poolQueuedRequests[p] : poolInFlight[p];
      snapshot.set(p, pool.id(), pool.accelerator(), pool.pricePerHour(), count, count > 0, queued, inFlight,
          overheadNanos, 0, 0, pool.curve());
    }
    return snapshot.snapshot();
  }

  private void tryStart(Replica replica, long now) {
    if (replica.busy || replica.queuedRows == 0) {
      return;
    }
    PoolSpec pool = scenario.pools().get(replica.pool);
    long oldest = Long.MAX_VALUE;
    for (IntQueue queue : replica.queuesByPriority) {
      if (!queue.isEmpty()) {
        oldest = Math.min(oldest, trace.atNanos(queue.peek()));
      }
    }
    long startBy = oldest + pool.maxQueueDelayNanos();
    if (replica.queuedRows < preferredBatch[replica.pool] && now < startBy) {
      if (replica.timerAt != startBy) {
        replica.timerAt = startBy;
        events.add(new Event(startBy, sequence++, replica, true));
      }
      return;
    }
    startBatch(replica, pool.curve(), now);
  }

  private void startBatch(Replica replica, ServiceCurve curve, long now) {
    int maxBatch = preferredBatch[replica.pool];
    int rows = 0;
    int size = 0;
    fill:
    for (IntQueue queue : replica.queuesByPriority) {
      while (!queue.isEmpty()) {
        int request = queue.peek();
        int requestRows = trace.rows(request);
        if (rows > 0 && rows + requestRows > maxBatch) {
          break fill;
        }
        queue.poll();
        if (size == replica.batch.length) {
          replica.batch = java.util.Arrays.copyOf(replica.batch, Math.max(8, size * 2));
        }
        replica.batch[size++] = request;
        rows += requestRows;
      }
    }
    replica.batchSize = size;
    replica.batchRows = rows;
    replica.queuedRows -= rows;
    replica.busy = true;
    replica.timerAt = -1;
    poolQueuedRows[replica.pool] -= rows;
    poolQueuedRequests[replica.pool] -= size;
    poolExecutingRows[replica.pool] += rows;
    poolInFlight[replica.pool] += size;
    long service = curve.serviceNanos(rows);
    result.batches[replica.pool]++;
    result.busyNanos[replica.pool] += service;
    events.add(new Event(now + service, sequence++, replica, false));
  }

  private void complete(Replica replica, long now) {
    long bestEffortTimeout = scenario.targets().bestEffortTimeoutNanos();
    for (int i = 0; i < replica.batchSize; i++) {
      int request = replica.batch[i];
      int tier = trace.tier(request);
      long latency = now - trace.atNanos(request) + overheadNanos;
      listener.completed(request, replica.pool, latency);
      result.latencyMicros[tier].recordValue((latency + 999) / 1000);
      Tier facts = scenario.tiers().get(tier);
      long limit = facts.isBestEffort() ? bestEffortTimeout : facts.p99BudgetNanos();
      if (latency <= limit) {
        result.met[tier]++;
      } else {
        miss(tier);
      }
    }
    poolInFlight[replica.pool] -= replica.batchSize;
    poolExecutingRows[replica.pool] -= replica.batchRows;
    replica.batchSize = 0;
    replica.batchRows = 0;
    replica.busy = false;
    tryStart(replica, now);
  }

  private void miss(int tier) {
    if (stopWhenMissed && --allowedMisses[tier] < 0) {
      result.aborted = true;
    }
  }
}
