package dev.yardmaster.router.routing;

import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AuthConfig;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.config.RouterConfig;
import dev.yardmaster.router.policy.PoolSnapshot;
import dev.yardmaster.router.policy.RouteDecision;
import dev.yardmaster.router.policy.RouteDecision.Reason;
import dev.yardmaster.router.policy.RouteRequest;
import dev.yardmaster.router.policy.RouteResult;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.pool.ForwardedInfer;
import dev.yardmaster.router.pool.Forwarder;
import dev.yardmaster.router.pool.Pool;
import dev.yardmaster.router.pool.Pools;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import dev.yardmaster.router.server.metrics.RequestMetrics.Outcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each ModelInfer of the router: a {@link PoolSnapshot} of the live pools (their views with
 * the learned residual) and the model's profile curves, the configured {@link
 * dev.yardmaster.router.policy.RoutingPolicy} into a per-thread {@link RouteResult}, then
 * {@link Forwarder} to the chosen pool with the tier's Triton priority. Sheds with
 * RESOURCE_EXHAUSTED and a {@code retry-after-ms} trailer; counts decisions, requests, latency and
 * SLA violations; feeds observed minus predicted latency back per pool: of requests that found a
 * replica free into the residual (EWMA), so a wrong service time or overhead in a profile stops
 * misleading routing after a few answers, and of every answer into the pool's tail lateness for
 * its tier over the last second, so a pool that falls behind its predictions under load (a stale
 * profile, throttling, a shared pool's other tenants, a host slower than when it was profiled)
 * stops taking a budgeted tier within a few answers, and best effort before its real queue wait
 * outgrows the max queue delay, and gets them back about a second after it stops being late.
 */
public final class LiveRouter {

  /** Trailer of a shed call: milliseconds to wait before retrying. */
  public static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after-ms", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger log = LoggerFactory.getLogger(LiveRouter.class);
  /** When a request routed without a prediction counts as due: it never makes its pool look late. */
  private static final long UNKNOWN_DUE_NANOS = TimeUnit.HOURS.toNanos(1);
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final MeterRegistry registry;
  private final ConcurrentMap<String, PoolFeedback> feedback = new ConcurrentHashMap<>();
  private volatile RoutingTable table;
  private volatile RouteMetrics metrics;

  public LiveRouter(MeterRegistry registry, RouterConfig config, Pools pools) {
    this.registry = registry;
    RoutingTable first = RoutingTable.build(config, pools, this::feedback);
    this.table = first;
    this.metrics = new RouteMetrics(registry, first);
    register(config, first);
  }

  /** Rebuilds the table from a reloaded config; call after {@link Pools#apply}. */
  public void apply(RouterConfig config, Pools pools) {
    RoutingTable next = RoutingTable.build(config, pools, this::feedback);
    RouteMetrics nextMetrics = new RouteMetrics(registry, next);
    register(config, next);
    metrics = nextMetrics;
    table = next;
  }

  private void register(RouterConfig config, RoutingTable next) {
    for (String pool : next.poolNames) {
      PoolFeedback pf = feedback(pool);
      Gauge.builder("yardmaster.prediction.error.seconds", pf, f -> f.residualNanos(System.nanoTime()) / 1e9)
          .description("Observed minus predicted latency per pool (EWMA), the online correction of the profile")
          .tag("pool", pool).register(registry);
      for (Tier tier : next.tiers) {
        Gauge.builder("yardmaster.prediction.tail.lateness.seconds", pf,
                f -> f.tailLatenessNanos(tier.index(), System.nanoTime()) / 1e9)
            .description("How late the tier is at the pool: its answers of the last second against their "
                + "predictions at the tail (p95), or its oldest request still waiting, whichever is more; added to "
                + "the tier's predictions (best effort: its queue wait) for the pool; 0 when on time")
            .tags("pool", pool, "tier", tier.name()).register(registry);
      }
      FunctionCounter.builder("yardmaster.pool.cost.dollars", pf, PoolFeedback::costDollars)
          .description("Cost attributed to requests: the pool's price times the replica time they used")
          .tag("pool", pool).register(registry);
    }
    for (String model : next.modelNames) {
      for (String pool : next.poolNames) {
        if (!next.hasCurve(model, pool)) {
          log.warn("model '{}' has no profile for pool '{}': the pool takes it only as fallback "
              + "(expected: an entry for the pool in the model's profile file)", model, pool);
        }
        Gauge.builder("yardmaster.profile.missing", this, r -> r.table.hasCurve(model, pool)
                || r.table.indexOf(pool) < 0 || !r.table.modelIndex.containsKey(model) ? 0 : 1)
            .description("1 when the model has no profile for the pool: the pool takes it only as fallback")
            .tags("model", model, "pool", pool).register(registry);
      }
    }
  }

  private PoolFeedback feedback(String pool) {
    return feedback.computeIfAbsent(pool, p -> new PoolFeedback());
  }

  /** Admission by the current config's tiers. */
  public Admission admission() {
    return table.admission;
  }

  /** The current config's bearer-token auth ({@link AuthConfig#off()} without an {@code auth} section). */
  public AuthConfig auth() {
    return table.auth;
  }

  /** Counts a call refused before routing (bad tier or deadline header). */
  public void refused(String model, @Nullable Tier tier, Outcome outcome) {
    RoutingTable current = table;
    metrics.requests(-1).recordRefused(modelLabel(current, model), tier, outcome);
  }

  /**
   * NOT_FOUND for a model the config does not name (in {@code models:} or a pool's
   * {@code health_check.models}), naming the models it does; null when the model is served, or
   * when the config names no models at all (then every model is forwarded and the pool answers).
   */
  public @Nullable Status unknownModel(String model) {
    RoutingTable current = table;
    return current.serves(model) ? null : Status.NOT_FOUND.withDescription(current.unknownModelMessage(model));
  }

  /** The learned correction of the pool's predictions now, in nanoseconds (0 before any answer). */
  public long residualNanos(String pool) {
    PoolFeedback pf = feedback.get(pool);
    return pf == null ? 0 : pf.residualNanos(System.nanoTime());
  }

  /** How late the tier's recent answers from the pool came at their tail, in nanoseconds, now. */
  public long tailLatenessNanos(String pool, String tier) {
    PoolFeedback pf = feedback.get(pool);
    for (Tier known : table.tiers) {
      if (known.name().equals(tier) && pf != null) {
        return pf.tailLatenessNanos(known.index(), System.nanoTime());
      }
    }
    return 0;
  }

  /**
   * Routes and forwards one request, in whichever wire form it came ({@link ForwardedInfer});
   * answers exactly once on {@code out}.
   *
   * @param pinnedPool the {@code x-yardmaster-pool} value, or null
   * @param arrivalNanos when the request arrived ({@link System#nanoTime()})
   * @param deadlineNanos its absolute deadline on that clock, or {@link RouteRequest#NO_DEADLINE}
   */
  public <R> void infer(Tier tier, CallFacts facts, @Nullable String pinnedPool, ForwardedInfer<R> request,
      long arrivalNanos, long deadlineNanos, Deadline callDeadline, StreamObserver<R> out) {
    RoutingTable current = table;
    RouteMetrics meters = metrics;
    String model = request.modelName();
    String modelLabel = modelLabel(current, model);
    facts.tier(tier.name());
    if (!current.serves(model)) {
      meters.requests(-1).recordRefused(modelLabel, tier, Outcome.NOT_FOUND);
      out.onError(Status.NOT_FOUND.withDescription(current.unknownModelMessage(model))
          .asRuntimeException());
      return;
    }
    int pinned = RouteRequest.NOT_PINNED;
    if (pinnedPool != null) {
      pinned = current.indexOf(pinnedPool);
      if (pinned < 0) {
        meters.requests(-1).recordRefused(modelLabel, tier, Outcome.INVALID_ARGUMENT);
        out.onError(Status.INVALID_ARGUMENT.withDescription("x-yardmaster-pool: '" + pinnedPool
            + "' (expected: one of " + java.util.List.of(current.poolNames) + ")").asRuntimeException());
        return;
      }
    }
    long now = System.nanoTime();
    Scratch scratch = SCRATCH.get();
    int rows = (int) Math.min(Integer.MAX_VALUE, request.rows());
    RouteResult result = decide(current, scratch, current.model(model), tier, rows, deadlineNanos,
        pinned, now);
    PoolSnapshot snapshot = scratch.snapshot.snapshot();
    Reason reason = result.reason();
    int chosen = result.pool();
    meters.decision(reason, reason == Reason.SHED ? -1 : chosen);
    if ((reason == Reason.SHED || chosen < 0) && !anyAvailable(snapshot)) {
      meters.requests(-1).recordRefused(modelLabel, tier, Outcome.UNAVAILABLE);
      out.onError(Status.UNAVAILABLE.withDescription("pools: none has a healthy endpoint (" + describe(current)
          + ")").asRuntimeException());
      return;
    }
    if (reason == Reason.SHED || chosen < 0) {
      meters.requests(-1).recordRefused(modelLabel, tier, Outcome.RESOURCE_EXHAUSTED);
      Metadata trailers = new Metadata();
      trailers.put(RETRY_AFTER, Long.toString(current.retryAfterMillis));
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription("tier '" + tier.name() + "': shed, no pool can take"
          + " model '" + model + "' now (expected: retry after " + current.retryAfterMillis
          + " ms, or a higher tier)").asRuntimeException(trailers));
      return;
    }
    Pool pool = current.pools[chosen];
    facts.pool(pool.name());
    long predicted = result.predictedLatencyNanos();
    long uncorrected = predicted == RouteDecision.UNKNOWN_LATENCY ? predicted
        : predicted - snapshot.residualNanos(chosen);
    int inFlightAtRoute = snapshot.inFlight(chosen);
    int sharers = Math.max(1, inFlightAtRoute + 1);
    long queuedAhead = snapshot.queuedRows(chosen) / Math.max(1, snapshot.replicas(chosen));
    PoolFeedback poolFeedback = current.feedback[chosen];
    poolFeedback.requestRouted(tier.index(),
        now + (predicted == RouteDecision.UNKNOWN_LATENCY ? UNKNOWN_DUE_NANOS : predicted));
    // every fact of the (per-thread, reused) snapshot is read above: forwarding may route again on this thread
    Forwarder.infer(pool, request.withPriority(tier.priority()), callDeadline,
        new Answer<>(request, out, facts, meters.requests(chosen), poolFeedback, pool, modelLabel, tier, arrivalNanos,
            now, predicted, uncorrected, queuedAhead, poolFeedback.answers(), inFlightAtRoute, sharers));
  }

  /**
   * The routing decision of {@link #infer} alone, on the pools' live state now: the snapshot, the
   * policy and the result, with no forwarding, metrics or feedback. For benchmarks and tools; the
   * result is this thread's and is overwritten by its next decision.
   *
   * @param pinnedPool a pool name, or null
   * @param deadlineNanos absolute, on {@link System#nanoTime()}, or {@link RouteRequest#NO_DEADLINE}
   * @throws IllegalArgumentException when {@code pinnedPool} names no configured pool
   */
  public RouteResult decide(String model, Tier tier, int rows, long deadlineNanos, @Nullable String pinnedPool) {
    RoutingTable current = table;
    int pinned = RouteRequest.NOT_PINNED;
    if (pinnedPool != null) {
      pinned = current.indexOf(pinnedPool);
      if (pinned < 0) {
        throw new IllegalArgumentException("pinnedPool: '" + pinnedPool + "' (expected: one of "
            + java.util.List.of(current.poolNames) + ")");
      }
    }
    return decide(current, SCRATCH.get(), current.model(model), tier, rows, deadlineNanos, pinned,
        System.nanoTime());
  }

  /**
   * Rewrites the thread's one-model snapshot from the pools' live counts (healthy endpoints as
   * replicas, rows and requests in flight, the learned residual and the request's tier's tail
   * lateness; the endpoints' EWMA latency is their whole latency, not overhead, so the residual
   * learns the real overhead) and routes on it. Allocates nothing once the thread's scratch fits
   * the pool count.
   */
  private static RouteResult decide(RoutingTable current, Scratch scratch, int model, Tier tier, int rows,
      long deadlineNanos, int pinned, long nowNanos) {
    PoolSnapshot.Reusable reusable = scratch.fit(current.pools.length).begin(nowNanos);
    for (int p = 0; p < current.pools.length; p++) {
      Pool pool = current.pools[p];
      PoolConfig config = pool.config();
      int healthy = pool.healthyEndpoints();
      PoolFeedback learned = current.feedback[p];
      reusable.set(p, pool.name(), config.accelerator(), config.pricePerHour(), healthy, healthy > 0,
          pool.queuedRows(), pool.inFlight(), 0, learned.residualNanos(nowNanos),
          learned.tailLatenessNanos(tier.index(), nowNanos), current.curve(p, model));
    }
    // model 0: the snapshot holds only this request's model
    current.policy.route(0, tier, rows, deadlineNanos, pinned, reusable.snapshot(), scratch.result);
    return scratch.result;
  }

  /** Per routing thread: the snapshot rewritten for each request and the result routed into. */
  private static final class Scratch {
    private PoolSnapshot.Reusable snapshot = new PoolSnapshot.Reusable(0);
    private final RouteResult result = new RouteResult();

    PoolSnapshot.Reusable fit(int pools) {
      if (snapshot.size() != pools) {
        snapshot = new PoolSnapshot.Reusable(pools);
      }
      return snapshot;
    }
  }

  private static boolean anyAvailable(PoolSnapshot snapshot) {
    for (int p = 0; p < snapshot.size(); p++) {
      if (snapshot.isAvailable(p)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(RoutingTable table) {
    StringBuilder text = new StringBuilder();
    for (Pool pool : table.pools) {
      text.append(text.length() == 0 ? "" : "; ").append(pool.name()).append(": ").append(pool.describeEndpoints());
    }
    return text.toString();
  }

  private static String modelLabel(RoutingTable table, String model) {
    return table.modelIndex.containsKey(model) ? model : RequestMetrics.UNKNOWN_MODEL;
  }

  static Outcome outcome(Status status) {
    try {
      return Outcome.valueOf(status.getCode().name());
    } catch (IllegalArgumentException other) {
      return status.getCode() == Status.Code.CANCELLED ? Outcome.UNAVAILABLE : Outcome.INTERNAL;
    }
  }

  /** Passes the pool's answer on and records what it showed. */
  private static final class Answer<R> implements StreamObserver<R> {
    private final ForwardedInfer<R> request;
    private final StreamObserver<R> out;
    private final CallFacts facts;
    private final RequestMetrics requests;
    private final PoolFeedback feedback;
    private final Pool pool;
    private final String model;
    private final Tier tier;
    private final long arrivalNanos;
    private final long routedNanos;
    private final long predictedNanos;
    private final long uncorrectedNanos;
    private final long queuedAhead;
    private final long answersAtRoute;
    private final int inFlightAtRoute;
    private final int sharers;

    Answer(ForwardedInfer<R> request, StreamObserver<R> out, CallFacts facts, RequestMetrics requests, PoolFeedback feedback,
        Pool pool, String model, Tier tier, long arrivalNanos, long routedNanos, long predictedNanos,
        long uncorrectedNanos, long queuedAhead, long answersAtRoute, int inFlightAtRoute, int sharers) {
      this.request = request;
      this.out = out;
      this.facts = facts;
      this.requests = requests;
      this.feedback = feedback;
      this.pool = pool;
      this.model = model;
      this.tier = tier;
      this.arrivalNanos = arrivalNanos;
      this.routedNanos = routedNanos;
      this.predictedNanos = predictedNanos;
      this.uncorrectedNanos = uncorrectedNanos;
      this.queuedAhead = queuedAhead;
      this.answersAtRoute = answersAtRoute;
      this.inFlightAtRoute = inFlightAtRoute;
      this.sharers = sharers;
    }

    @Override
    public void onNext(R response) {
      facts.modelVersion(request.modelVersion(response));
      out.onNext(response);
    }

    @Override
    public void onCompleted() {
      long end = System.nanoTime();
      requests.record(model, tier, Outcome.SUCCESS, end - arrivalNanos);
      long observed = end - routedNanos;
      long otherAnswers = feedback.answered(answersAtRoute);
      feedback.requestAnswered(tier.index());
      if (predictedNanos != RouteDecision.UNKNOWN_LATENCY) {
        feedback.observe(end, observed, uncorrectedNanos, queuedAhead, otherAnswers, inFlightAtRoute);
        feedback.observeLateness(tier.index(), end, observed - predictedNanos);
      }
      feedback.attribute(pool.config().pricePerHour(), observed, sharers);
      out.onCompleted();
    }

    @Override
    public void onError(Throwable error) {
      long end = System.nanoTime();
      feedback.answered(answersAtRoute);
      feedback.requestAnswered(tier.index());
      Status status = Status.fromThrowable(error);
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && predictedNanos != RouteDecision.UNKNOWN_LATENCY) {
        feedback.observeLateness(tier.index(), end, end - routedNanos - predictedNanos); // at least this late
      }
      requests.record(model, tier, outcome(status), end - arrivalNanos);
      out.onError(error);
    }
  }
}
