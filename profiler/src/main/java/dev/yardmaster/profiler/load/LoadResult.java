package dev.yardmaster.profiler.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one load run measured. Counts and rates cover requests started in the measurement window;
 * latencies cover the successful ones (a failed call's latency says little about the server).
 * Serialises to JSON with Jackson as is.
 *
 * @param call the RPC called
 * @param concurrency streams (closed loop) or outstanding cap (open loop)
 * @param requests measured requests completed, successes and errors
 * @param rows inferences in the successful measured requests
 * @param errors failed measured requests by gRPC status code name, e.g. {@code UNAVAILABLE}
 * @param durationSeconds from the window's start to the last measured completion
 * @param requestsPerSecond successful requests per second
 * @param inferencesPerSecond successful rows per second
 * @param p50Ms median latency, milliseconds
 * @param p90Ms 90th percentile latency, milliseconds
 * @param p95Ms 95th percentile latency, milliseconds
 * @param p99Ms 99th percentile latency, milliseconds
 * @param maxMs largest latency, milliseconds
 * @param meanMs mean latency, milliseconds
 * @param warmUpRequests requests completed during warm-up (not in any other field)
 * @param abandoned calls still outstanding when the run's hard bound passed, then cancelled
 * @param dropped open loop only: measured arrivals not sent because the outstanding cap was full
 */
public record LoadResult(
    CallKind call,
    int concurrency,
    long requests,
    long rows,
    Map<String, Long> errors,
    double durationSeconds,
    double requestsPerSecond,
    double inferencesPerSecond,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double meanMs,
    long warmUpRequests,
    long abandoned,
    long dropped) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the error map, sorted by code name. */
  public LoadResult {
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  /** All failed measured requests. */
  public long totalErrors() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** This result as a JSON object. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("LoadResult: not serialisable (expected: plain values)", e);
    }
  }

  /** Reads a result written by {@link #toJson()}. */
  public static LoadResult fromJson(String json) {
    try {
      return JSON.readValue(json, LoadResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "json: not a LoadResult (" + e.getOriginalMessage() + ")", e);
    }
  }
}
