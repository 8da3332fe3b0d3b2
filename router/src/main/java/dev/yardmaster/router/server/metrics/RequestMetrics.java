package dev.yardmaster.router.server.metrics;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.policy.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Yardmaster's own request meters for one pool, in the server's Micrometer registry:
 * {@code yardmaster_requests_total{model,tier,pool,outcome}},
 * {@code yardmaster_request_latency_seconds{tier,pool}} (a histogram with buckets at the tier
 * budgets), {@code yardmaster_sla_violations_total{tier}} and
 * {@code yardmaster_route_decisions_total{reason}}.
 *
 * <p>Meters are resolved once per (model, tier, outcome) and cached in arrays indexed by tier and
 * outcome, so recording a request is a map lookup and two increments: no tags built per request.
 */
public final class RequestMetrics {

  /** How a request ended; lower-case names are the {@code outcome} label values. */
  public enum Outcome {
    SUCCESS, INVALID_ARGUMENT, NOT_FOUND, UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNIMPLEMENTED,
    INTERNAL, UNAUTHENTICATED, PERMISSION_DENIED, CANCELLED;

    private static final Outcome[] VALUES = values();

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** SUCCESS for null, else the failure's status. */
    public static Outcome of(@Nullable Throwable error) {
      return error == null ? SUCCESS : valueOf(InferenceException.from(error).status().name());
    }
  }

  /** The {@code model} label of requests for models the server does not know, to bound cardinality. */
  public static final String UNKNOWN_MODEL = "unknown";
  /** The {@code tier} label of requests refused before their tier was known. */
  public static final String UNKNOWN_TIER = "unknown";

  private static final double[] DEFAULT_BUCKETS_MS = {1, 2.5, 5, 10, 25, 50, 100, 150, 250, 500, 1000, 2500, 5000, 10000};

  private final MeterRegistry registry;
  private final String pool;
  private final List<Tier> tiers;
  private final int slots;
  private final Timer[] latencyByTier;
  private final Counter[] violationsByTier;
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> requestsByModel = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> decisionsByReason = new ConcurrentHashMap<>();

  /**
   * @param pool the {@code pool} label
   * @param tiers the configured tiers, at their index positions; their budgets become buckets
   */
  public RequestMetrics(MeterRegistry registry, String pool, List<Tier> tiers) {
    this.registry = registry;
    this.pool = pool;
    this.tiers = List.copyOf(tiers);
    this.slots = (tiers.size() + 1) * Outcome.VALUES.length; // one more tier slot: unknown
    Duration[] buckets = buckets(tiers);
    this.latencyByTier = new Timer[tiers.size()];
    this.violationsByTier = new Counter[tiers.size()];
    for (Tier tier : tiers) {
      latencyByTier[tier.index()] = Timer.builder("yardmaster.request.latency")
          .description("Latency of admitted inference requests, arrival to answer")
          .tags("tier", tier.name(), "pool", pool)
          .serviceLevelObjectives(buckets)
          .register(registry);
      violationsByTier[tier.index()] = Counter.builder("yardmaster.sla.violations")
          .description("Requests whose observed latency exceeded their tier's p99 budget")
          .tags("tier", tier.name())
          .register(registry);
    }
  }

  private static Duration[] buckets(List<Tier> tiers) {
    TreeSet<Long> nanos = new TreeSet<>();
    for (double ms : DEFAULT_BUCKETS_MS) {
      nanos.add((long) (ms * 1_000_000));
    }
    for (Tier tier : tiers) {
      if (!tier.isBestEffort()) {
        nanos.add(tier.p99BudgetNanos());
      }
    }
    return nanos.stream().map(Duration::ofNanos).toArray(Duration[]::new);
  }

  public String pool() {
    return pool;
  }

  /**
   * Records an admitted request that reached the model: its count, latency, and an SLA violation
   * when the latency exceeded the tier's budget.
   */
  public void record(String model, Tier tier, Outcome outcome, long latencyNanos) {
    counter(model, tier.index(), outcome).increment();
    latencyByTier[tier.index()].record(latencyNanos, TimeUnit.NANOSECONDS);
    if (latencyNanos > tier.p99BudgetNanos()) {
      violationsByTier[tier.index()].increment();
    }
  }

  /** Counts a request refused before it reached a model (bad tier, deadline, undecodable); no latency. */
  public void recordRefused(String model, @Nullable Tier tier, Outcome outcome) {
    counter(model, tier == null ? tiers.size() : tier.index(), outcome).increment();
  }

  /** Counts one routing decision; the in-process path's reason is {@code local}. */
  public void routeDecision(String reason) {
    Counter counter = decisionsByReason.get(reason);
    if (counter == null) {
      counter = decisionsByReason.computeIfAbsent(reason, r -> Counter.builder("yardmaster.route.decisions")
          .description("Routing decisions by reason")
          .tags("reason", r)
          .register(registry));
    }
    counter.increment();
  }

  private Counter counter(String model, int tierSlot, Outcome outcome) {
    AtomicReferenceArray<Counter> counters = requestsByModel.get(model);
    if (counters == null) {
      counters = requestsByModel.computeIfAbsent(model, m -> new AtomicReferenceArray<>(slots));
    }
    int slot = tierSlot * Outcome.VALUES.length + outcome.ordinal();
    Counter counter = counters.get(slot);
    if (counter == null) {
      // racing threads get the same meter: the registry deduplicates by id
      counter = Counter.builder("yardmaster.requests")
          .description("Inference requests by model, tier, pool and outcome")
          .tags("model", model, "tier", tierSlot == tiers.size() ? UNKNOWN_TIER : tiers.get(tierSlot).name(),
              "pool", pool, "outcome", outcome.label())
          .register(registry);
      counters.set(slot, counter);
    }
    return counter;
  }
}
