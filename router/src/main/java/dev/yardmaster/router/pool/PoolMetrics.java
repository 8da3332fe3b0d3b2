package dev.yardmaster.router.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code yardmaster_pool_*} and {@code yardmaster_endpoint_*} meters of one pool, labelled
 * {@code pool} and {@code endpoint}; endpoint meters leave the registry with their endpoint.
 */
final class PoolMetrics {

  private final MeterRegistry registry;
  private final String pool;
  private final List<Meter> poolMeters = new ArrayList<>();
  private final Map<String, List<Meter>> endpointMeters = new ConcurrentHashMap<>();
  private final Counter retries;
  private final Counter failures;

  PoolMetrics(MeterRegistry registry, Pool owner) {
    this.registry = registry;
    this.pool = owner.name();
    Tags tags = Tags.of("pool", pool);
    poolMeters.add(Gauge.builder("yardmaster.pool.inflight", owner, p -> p.inFlight())
        .description("Requests the router has dispatched to the pool and not yet answered").tags(tags)
        .register(registry));
    poolMeters.add(Gauge.builder("yardmaster.pool.queued.rows", owner, p -> p.queuedRows())
        .description("Rows dispatched to the pool's endpoints and not yet answered").tags(tags)
        .register(registry));
    poolMeters.add(Gauge.builder("yardmaster.pool.healthy.endpoints", owner, p -> p.healthyEndpoints())
        .description("Endpoints taking traffic").tags(tags).register(registry));
    retries = Counter.builder("yardmaster.pool.retries").description("Tries after the first, on another endpoint")
        .tags(tags).register(registry);
    failures = Counter.builder("yardmaster.pool.request.failures")
        .description("Requests answered with an error status after all tries").tags(tags).register(registry);
    poolMeters.add(retries);
    poolMeters.add(failures);
  }

  Counter retries() {
    return retries;
  }

  Counter failures() {
    return failures;
  }

  Timer latencyTimer(String endpoint) {
    Timer timer = Timer.builder("yardmaster.endpoint.latency")
        .description("Latency of successful requests to the endpoint, as seen by the router")
        .tags("pool", pool, "endpoint", endpoint)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    endpointMeters.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(timer);
    return timer;
  }

  /** One counter per {@link EjectionReason}, indexed by ordinal, labelled {@code reason}. */
  Counter[] ejections(String endpoint) {
    EjectionReason[] reasons = EjectionReason.values();
    Counter[] counters = new Counter[reasons.length];
    for (EjectionReason reason : reasons) {
      counters[reason.ordinal()] = Counter.builder("yardmaster.endpoint.ejections")
          .description("Outlier ejections enforced on the endpoint, by reason")
          .tags("pool", pool, "endpoint", endpoint, "reason", reason.label())
          .register(registry);
      endpointMeters.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(counters[reason.ordinal()]);
    }
    return counters;
  }

  void bind(Endpoint endpoint) {
    Tags tags = Tags.of("pool", pool, "endpoint", endpoint.id());
    List<Meter> meters = endpointMeters.computeIfAbsent(endpoint.id(), e -> new ArrayList<>());
    meters.add(Gauge.builder("yardmaster.endpoint.inflight", endpoint, Endpoint::inFlight)
        .description("Requests in flight to the endpoint").tags(tags).register(registry));
    meters.add(Gauge.builder("yardmaster.endpoint.healthy", endpoint,
            e -> e.state() == EndpointState.HEALTHY ? 1 : 0)
        .description("1 when the endpoint takes traffic, 0 when unhealthy or ejected").tags(tags)
        .register(registry));
  }

  void unbind(String endpoint) {
    List<Meter> meters = endpointMeters.remove(endpoint);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  void close() {
    endpointMeters.keySet().forEach(this::unbind);
    poolMeters.forEach(registry::remove);
  }
}
