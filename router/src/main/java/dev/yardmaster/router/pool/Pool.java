package dev.yardmaster.router.pool;

import dev.yardmaster.backend.kserve.KServeEndpointClient;
import dev.yardmaster.router.config.HostPort;
import dev.yardmaster.router.config.PoolConfig;
import dev.yardmaster.router.policy.PoolView;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named set of KServe v2 endpoints on one accelerator at one price. Picks endpoints by least
 * request with {@code choiceCount = 2} (power of two choices on requests in flight) among the
 * healthy, non-ejected ones, and keeps the live stats routing reads through {@link #view()}.
 *
 * <p>The endpoint list is an immutable array swapped on change (reload, DNS), so picking reads one
 * volatile field and never locks.
 */
public final class Pool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Pool.class);

  private final String name;
  private final LongSupplier nanoClock;
  private final int maxMessageBytes;
  private final PoolMetrics metrics;
  private volatile PoolConfig config;
  private volatile OutlierDetector outliers;
  private volatile RetryBudget retryBudget;
  private volatile Endpoint[] endpoints = new Endpoint[0];

  /** {@code maxMessageBytes}: the largest request its endpoint clients send and answer they take. */
  public Pool(PoolConfig config, MeterRegistry registry, LongSupplier nanoClock, int maxMessageBytes) {
    this.name = config.name();
    this.config = config;
    this.nanoClock = nanoClock;
    this.maxMessageBytes = maxMessageBytes;
    this.outliers = new OutlierDetector(config.outlierDetection());
    this.retryBudget = new RetryBudget(config.retry().budgetPercent(), config.retry().minRetryConcurrency());
    this.metrics = new PoolMetrics(registry, this);
  }

  public String name() {
    return name;
  }

  public PoolConfig config() {
    return config;
  }

  public List<Endpoint> endpoints() {
    return List.of(endpoints);
  }

  @Nullable Endpoint endpoint(String id) {
    for (Endpoint endpoint : endpoints) {
      if (endpoint.id().equals(id)) {
        return endpoint;
      }
    }
    return null;
  }

  /**
   * Least request, two choices: two distinct random selectable endpoints not in {@code tried}, the
   * one with fewer requests in flight wins. Falls back to tried endpoints when no other is
   * selectable; null when none is.
   */
  public @Nullable Endpoint pick(List<Endpoint> tried) {
    Endpoint[] all = endpoints;
    @Nullable Endpoint found = pickAmong(all, tried);
    return found != null || tried.isEmpty() ? found : pickAmong(all, List.of());
  }

  private static @Nullable Endpoint pickAmong(Endpoint[] all, List<Endpoint> tried) {
    int n = all.length;
    if (n == 0) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int start = random.nextInt(n);
    @Nullable Endpoint first = null;
    for (int i = 0; i < n; i++) {
      Endpoint candidate = all[(start + i) % n];
      if (candidate.selectable() && !tried.contains(candidate)) {
        first = candidate;
        break;
      }
    }
    if (first == null) {
      return null;
    }
    // the second choice: another random start, skipping the first
    int second = random.nextInt(n);
    for (int i = 0; i < n; i++) {
      Endpoint candidate = all[(second + i) % n];
      if (candidate != first && candidate.selectable() && !tried.contains(candidate)) {
        return candidate.inFlight() < first.inFlight() ? candidate : first;
      }
    }
    return first;
  }

  /** Requests in flight to this pool's endpoints. */
  public int inFlight() {
    int sum = 0;
    for (Endpoint endpoint : endpoints) {
      sum += endpoint.inFlight();
    }
    return sum;
  }

  /**
   * Rows dispatched and not yet answered: the router's ground truth for the pool's queue (the
   * router itself holds no queue; rows wait at the endpoints).
   */
  public long queuedRows() {
    long sum = 0;
    for (Endpoint endpoint : endpoints) {
      sum += endpoint.inFlightRows();
    }
    return sum;
  }

  public int healthyEndpoints() {
    int count = 0;
    for (Endpoint endpoint : endpoints) {
      if (endpoint.selectable()) {
        count++;
      }
    }
    return count;
  }

  /** The pool as routing sees it now: healthy replicas, in flight, queued rows, EWMA latency. */
  public PoolView view() {
    double ewmaSum = 0;
    int ewmaCount = 0;
    for (Endpoint endpoint : endpoints) {
      double ewma = endpoint.ewmaLatencyNanos();
      if (endpoint.selectable() && !Double.isNaN(ewma)) {
        ewmaSum += ewma;
        ewmaCount++;
      }
    }
    int healthy = healthyEndpoints();
    long overhead = ewmaCount == 0 ? 0 : (long) (ewmaSum / ewmaCount);
    return new PoolView(name, config.accelerator(), config.pricePerHour(), healthy, healthy > 0, queuedRows(),
        inFlight(), overhead, 0);
  }

  /** "2 of 3 endpoints ejected, 1 unhealthy", for error messages. */
  public String describeEndpoints() {
    Endpoint[] all = endpoints;
    int ejected = 0;
    int unhealthy = 0;
    for (Endpoint endpoint : all) {
      switch (endpoint.state()) {
        case EJECTED -> ejected++;
        case UNHEALTHY -> unhealthy++;
        default -> { }
      }
    }
    return all.length + " endpoints, " + ejected + " ejected, " + unhealthy + " unhealthy";
  }

  OutlierDetector outliers() {
    return outliers;
  }

  RetryBudget retryBudget() {
    return retryBudget;
  }

  PoolMetrics metrics() {
    return metrics;
  }

  long nowNanos() {
    return nanoClock.getAsLong();
  }

  /** Records a try's outcome for outlier detection, ejecting the endpoint when the detector says so. */
  void recordOutcome(Endpoint endpoint, boolean failure) {
    OutlierDetector detector = outliers;
    if (!failure) {
      detector.onSuccess(endpoint.id());
      return;
    }
    OutlierDetector.Verdict verdict = detector.onFailure(endpoint.id(), nowNanos(), endpoints.length);
    if (verdict == OutlierDetector.Verdict.EJECTED) {
      endpoint.eject(EjectionReason.CONSECUTIVE_FAILURES);
      log.warn("pool '{}': ejected endpoint {} ({} times; {})", name, endpoint.id(),
          detector.timesEjected(endpoint.id()), describeEndpoints());
    } else if (verdict == OutlierDetector.Verdict.DETECTED_ONLY) {
      log.info("pool '{}': endpoint {} is an outlier, not ejected (dry run or max ejection percent)", name,
          endpoint.id());
    }
  }

  /**
   * Unejects endpoints whose ejection time has passed and, once per outlier-detection interval,
   * ejects success-rate outliers; called periodically and by tests with a fake clock.
   */
  public void maintain() {
    long now = nowNanos();
    for (OutlierDetector.Outlier outlier : outliers.sweepDue(now, endpoints.length)) {
      Endpoint endpoint = endpoint(outlier.endpoint());
      if (endpoint != null && outlier.verdict() == OutlierDetector.Verdict.EJECTED) {
        endpoint.eject(EjectionReason.SUCCESS_RATE);
        log.warn("pool '{}': ejected endpoint {}: success rate {}% < {}% (mean - stdev_factor x stdev; {} times; {})",
            name, endpoint.id(), String.format("%.1f", outlier.successRatePercent()),
            String.format("%.1f", outlier.thresholdPercent()), outliers.timesEjected(endpoint.id()), describeEndpoints());
      } else if (endpoint != null) {
        log.info("pool '{}': endpoint {} is a success-rate outlier ({}%), not ejected (dry run or max ejection"
            + " percent)", name, endpoint.id(), String.format("%.1f", outlier.successRatePercent()));
      }
    }
    for (String id : outliers.unejectDue(now)) {
      Endpoint endpoint = endpoint(id);
      if (endpoint != null) {
        endpoint.uneject();
        log.info("pool '{}': unejected endpoint {}", name, id);
      }
    }
  }

  /** Takes new settings (health, outlier, retry); endpoints change through {@link #setEndpoints}. */
  void reconfigure(PoolConfig next) {
    PoolConfig previous = config;
    config = next;
    if (!previous.outlierDetection().equals(next.outlierDetection())) {
      outliers = new OutlierDetector(next.outlierDetection());
      for (Endpoint endpoint : endpoints) {
        endpoint.uneject();
      }
    }
    if (!previous.retry().equals(next.retry())) {
      retryBudget = new RetryBudget(next.retry().budgetPercent(), next.retry().minRetryConcurrency());
    }
  }

  /**
   * Makes the endpoint set {@code resolved} (ip:port -> configured entry): new ones are connected
   * (unhealthy until checked), missing ones are removed after their requests in flight end.
   */
  synchronized void setEndpoints(Map<String, String> resolved) {
    Map<String, Endpoint> current = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints) {
      current.put(endpoint.id(), endpoint);
    }
    List<Endpoint> next = new ArrayList<>();
    for (Map.Entry<String, String> entry : resolved.entrySet()) {
      Endpoint existing = current.remove(entry.getKey());
      if (existing != null) {
        next.add(existing);
        continue;
      }
      HostPort address = HostPort.parse(entry.getKey());
      CallerLoopClients.Clients clients = CallerLoopClients.connect(address.host(), address.port(),
          config.channelsPerEndpoint(), maxMessageBytes);
      Endpoint added = new Endpoint(entry.getKey(), entry.getValue(), clients.grpc(), clients.frames(),
          maxMessageBytes, metrics.latencyTimer(entry.getKey()), metrics.ejections(entry.getKey()));
      metrics.bind(added);
      next.add(added);
      log.info("pool '{}': added endpoint {} ({})", name, added.id(), added.configured());
    }
    endpoints = next.toArray(new Endpoint[0]);
    for (Endpoint gone : current.values()) {
      gone.remove();
      outliers.remove(gone.id());
      metrics.unbind(gone.id());
      log.info("pool '{}': removed endpoint {}, {} requests in flight finish first", name, gone.id(),
          gone.inFlight());
    }
  }

  @Override
  public synchronized void close() {
    for (Endpoint endpoint : endpoints) {
      endpoint.remove();
    }
    endpoints = new Endpoint[0];
    metrics.close();
  }
}
