package dev.yardmaster.profiler.load;

import java.util.Locale;

/**
 * Where a running load is, reported about once a second.
 *
 * @param phase warm-up, measuring or draining the last outstanding requests
 * @param elapsedNanos since the run started
 * @param completed requests completed so far, warm-up included, errors included
 * @param errors measured requests that failed so far
 * @param requestsPerSecond completions per second over the last interval
 */
public record LoadProgress(
    Phase phase, long elapsedNanos, long completed, long errors, double requestsPerSecond) {

  /** The part of a run. */
  public enum Phase {
    /** Load is sent but not recorded. */
    WARM_UP,
    /** Requests started now are recorded. */
    MEASURE,
    /** No new requests; waiting for the outstanding ones. */
    DRAIN
  }

  /** A one-line human summary, e.g. {@code MEASURE 3.0 s: 45210 done, 15022 req/s, 0 errors}. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "%s %.1f s: %d done, %.0f req/s, %d errors",
        phase,
        elapsedNanos / 1e9,
        completed,
        requestsPerSecond,
        errors);
  }
}
