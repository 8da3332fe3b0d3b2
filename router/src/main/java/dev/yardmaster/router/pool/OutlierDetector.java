package dev.yardmaster.router.pool;

import dev.yardmaster.router.config.OutlierDetectionConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy-style consecutive-failure outlier detection for one pool, as a state machine with time as
 * data: no clock, no I/O. An endpoint with {@code consecutiveFailures} failures in a row is
 * ejected for {@code baseEjectionTime x times ejected} (capped at {@code maxEjectionTime}) unless
 * that would eject more than {@code maxEjectionPercent} of the pool (at least one endpoint may
 * always be ejected, as in Envoy). In dry run ({@code enforcing: false}) ejections are detected and
 * counted but never enforced. Thread-safe.
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

  private static final class Tracker {
    int consecutiveFailures;
    int timesEjected;
    boolean ejected;
    long ejectedUntilNanos;
  }

  private final OutlierDetectionConfig config;
  private final Map<String, Tracker> trackers = new HashMap<>();
  private long detected;
  private long enforced;

  public OutlierDetector(OutlierDetectionConfig config) {
    this.config = config;
  }

  /** A success resets the endpoint's failure run. */
  public synchronized void onSuccess(String endpoint) {
    Tracker tracker = trackers.get(endpoint);
    if (tracker != null) {
      tracker.consecutiveFailures = 0;
    }
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
    tracker.consecutiveFailures++;
    if (tracker.consecutiveFailures < config.consecutiveFailures()) {
      return Verdict.NONE;
    }
    tracker.consecutiveFailures = 0;
    detected++;
    int ejectedNow = ejectedCount();
    int allowed = Math.max(1, poolSize * config.maxEjectionPercent() / 100);
    if (!config.enforcing() || ejectedNow >= allowed) {
      return Verdict.DETECTED_ONLY;
    }
    tracker.timesEjected++;
    tracker.ejected = true;
    long millis = Math.min(config.maxEjectionTimeMillis(),
        config.baseEjectionTimeMillis() * tracker.timesEjected);
    tracker.ejectedUntilNanos = nowNanos + millis * 1_000_000L;
    enforced++;
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

  /** Ejections detected, enforced or not (Envoy's {@code ejections_detected_consecutive_5xx}). */
  public synchronized long detected() {
    return detected;
  }

  /** Ejections enforced (Envoy's {@code ejections_enforced_total}). */
  public synchronized long enforced() {
    return enforced;
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
