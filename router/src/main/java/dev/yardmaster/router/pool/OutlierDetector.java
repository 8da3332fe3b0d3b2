package dev.yardmaster.router.pool;

import dev.yardmaster.router.config.OutlierDetectionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy-style outlier detection for one pool, as a state machine with time as data: no clock, no
 * I/O. Thread-safe.
 *
 * <ul>
 *   <li>Consecutive failures: an endpoint with {@code consecutiveFailures} failures in a row is
 *       ejected at once.
 *   <li>Success rate: every {@code interval}, {@link #sweepDue} compares the success rates of the
 *       endpoints with at least {@code requestVolume} requests in the interval just ended, when
 *       there are at least {@code minimumHosts} of them, and ejects each one below {@code mean -
 *       stdevFactor x stdev} (population standard deviation, as Envoy). With N endpoints the lowest
 *       can sit at most {@code sqrt(N - 1)} deviations below the mean, so a factor of 1.9 needs at
 *       least 5 endpoints with enough volume.
 * </ul>
 *
 * <p>An ejection lasts {@code baseEjectionTime x times ejected} (capped at {@code
 * maxEjectionTime}) unless it would eject more than {@code maxEjectionPercent} of the pool (at least
 * one endpoint may always be ejected, as in Envoy). In dry run ({@code enforcing: false}) ejections
 * are detected and counted but never enforced.
 */
public final class OutlierDetector {

  /** What a result did. */
  public enum Verdict {
    NONE,
    /** The endpoint is now ejected. */
    EJECTED,
    /** An ejection was detected but not enforced (dry run or max ejection percent). */
    DETECTED_ONLY
  }

  /**
   * An outlier a success-rate sweep found.
   *
   * @param successRatePercent its success rate over the interval
   * @param thresholdPercent the pool's {@code mean - stdevFactor x stdev}
   */
  public record Outlier(String endpoint, Verdict verdict, double successRatePercent, double thresholdPercent) {}

  private static final class Tracker {
    int consecutiveFailures;
    int timesEjected;
    boolean ejected;
    long ejectedUntilNanos;
    // the current success-rate interval
    long successes;
    long failures;
  }

  private final OutlierDetectionConfig config;
  private final Map<String, Tracker> trackers = new HashMap<>();
  private final long[] detected = new long[EjectionReason.values().length];
  private final long[] enforced = new long[EjectionReason.values().length];
  private boolean sweepScheduled;
  private long nextSweepNanos;

  public OutlierDetector(OutlierDetectionConfig config) {
    this.config = config;
  }

  /** A success resets the endpoint's failure run. */
  public synchronized void onSuccess(String endpoint) {
    Tracker tracker = trackers.computeIfAbsent(endpoint, e -> new Tracker());
    tracker.consecutiveFailures = 0;
    tracker.successes++;
  }

  /**
   * A failure (UNAVAILABLE, INTERNAL, UNKNOWN or per-try timeout) of {@code endpoint} at {@code
   * nowNanos} in a pool of {@code poolSize} endpoints.
   */
  public synchronized Verdict onFailure(String endpoint, long nowNanos, int poolSize) {
    Tracker tracker = trackers.computeIfAbsent(endpoint, e -> new Tracker());
    if (tracker.ejected) {
      return Verdict.NONE;
    }
    tracker.failures++;
    tracker.consecutiveFailures++;
    if (tracker.consecutiveFailures < config.consecutiveFailures()) {
      return Verdict.NONE;
    }
    tracker.consecutiveFailures = 0;
    return eject(tracker, EjectionReason.CONSECUTIVE_FAILURES, nowNanos, poolSize);
  }

  /**
   * Runs the success-rate comparison when an interval has ended at {@code nowNanos} (the first
   * call starts the first interval), then starts the next one; returns the outliers it found.
   */
  public synchronized List<Outlier> sweepDue(long nowNanos, int poolSize) {
    if (!sweepScheduled) {
      sweepScheduled = true;
      nextSweepNanos = nowNanos + config.intervalMillis() * 1_000_000L;
      return List.of();
    }
    if (nowNanos - nextSweepNanos < 0) {
      return List.of();
    }
    nextSweepNanos = nowNanos + config.intervalMillis() * 1_000_000L;
    List<Outlier> outliers = config.successRate().enabled() ? successRateOutliers(nowNanos, poolSize) : List.of();
    for (Tracker tracker : trackers.values()) {
      tracker.successes = 0;
      tracker.failures = 0;
    }
    return outliers;
  }

  private List<Outlier> successRateOutliers(long nowNanos, int poolSize) {
    OutlierDetectionConfig.SuccessRate settings = config.successRate();
    List<Map.Entry<String, Tracker>> compared = new ArrayList<>();
    double sum = 0;
    for (Map.Entry<String, Tracker> entry : trackers.entrySet()) {
      Tracker tracker = entry.getValue();
      long volume = tracker.successes + tracker.failures;
      if (!tracker.ejected && volume >= settings.requestVolume()) {
        compared.add(entry);
        sum += rate(tracker);
      }
    }
    if (compared.isEmpty() || compared.size() < settings.minimumHosts()) {
      return List.of();
    }
    double mean = sum / compared.size();
    double squares = 0;
    for (Map.Entry<String, Tracker> entry : compared) {
      double deviation = rate(entry.getValue()) - mean;
      squares += deviation * deviation;
    }
    double threshold = mean - settings.stdevFactor() * Math.sqrt(squares / compared.size());
    List<Outlier> outliers = new ArrayList<>(0);
    for (Map.Entry<String, Tracker> entry : compared) {
      double rate = rate(entry.getValue());
      if (rate < threshold) {
        Verdict verdict = eject(entry.getValue(), EjectionReason.SUCCESS_RATE, nowNanos, poolSize);
        outliers.add(new Outlier(entry.getKey(), verdict, rate, threshold));
      }
    }
    return outliers;
  }

  private static double rate(Tracker tracker) {
    return 100.0 * tracker.successes / (tracker.successes + tracker.failures);
  }

  private Verdict eject(Tracker tracker, EjectionReason reason, long nowNanos, int poolSize) {
    detected[reason.ordinal()]++;
    int allowed = Math.max(1, poolSize * config.maxEjectionPercent() / 100);
    if (!config.enforcing() || ejectedCount() >= allowed) {
      return Verdict.DETECTED_ONLY;
    }
    tracker.timesEjected++;
    tracker.ejected = true;
    long millis = Math.min(config.maxEjectionTimeMillis(),
        config.baseEjectionTimeMillis() * tracker.timesEjected);
    tracker.ejectedUntilNanos = nowNanos + millis * 1_000_000L;
    enforced[reason.ordinal()]++;
    return Verdict.EJECTED;
  }

  /** Endpoints whose ejection time has passed at {@code nowNanos}; they are unejected by this call. */
  public synchronized List<String> unejectDue(long nowNanos) {
    List<String> due = new ArrayList<>(0);
    for (Map.Entry<String, Tracker> entry : trackers.entrySet()) {
      Tracker tracker = entry.getValue();
      if (tracker.ejected && nowNanos - tracker.ejectedUntilNanos >= 0) {
        tracker.ejected = false;
        tracker.consecutiveFailures = 0;
        due.add(entry.getKey());
      }
    }
    return due;
  }

  public synchronized boolean isEjected(String endpoint) {
    Tracker tracker = trackers.get(endpoint);
    return tracker != null && tracker.ejected;
  }

  public synchronized int timesEjected(String endpoint) {
    Tracker tracker = trackers.get(endpoint);
    return tracker == null ? 0 : tracker.timesEjected;
  }

  /** Forgets an endpoint that left the pool. */
  public synchronized void remove(String endpoint) {
    trackers.remove(endpoint);
  }

  /** Ejections detected, enforced or not, for any reason. */
  public synchronized long detected() {
    return Arrays.stream(detected).sum();
  }

  /** Ejections detected for {@code reason} (Envoy's {@code ejections_detected_consecutive_5xx}, {@code ..._success_rate}). */
  public synchronized long detected(EjectionReason reason) {
    return detected[reason.ordinal()];
  }

  /** Ejections enforced, for any reason (Envoy's {@code ejections_enforced_total}). */
  public synchronized long enforced() {
    return Arrays.stream(enforced).sum();
  }

  public synchronized long enforced(EjectionReason reason) {
    return enforced[reason.ordinal()];
  }

  private int ejectedCount() {
    int count = 0;
    for (Tracker tracker : trackers.values()) {
      if (tracker.ejected) {
        count++;
      }
    }
    return count;
  }
}
