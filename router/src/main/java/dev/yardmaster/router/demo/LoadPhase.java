package dev.yardmaster.router.demo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A stretch of the tour's open-loop load at one mean rate (Poisson arrivals).
 *
 * @param name e.g. {@code base} or {@code peak}
 * @param requestsPerSecond mean arrival rate, > 0
 * @param duration how long, > 0
 * @param recorded whether its requests count in the tables (warm-up does not)
 */
record LoadPhase(
    String name,
    @JsonProperty("requests_per_second") double requestsPerSecond,
    @JsonIgnore Duration duration,
    boolean recorded) {

  LoadPhase {
    if (!(requestsPerSecond > 0 && requestsPerSecond <= 100_000)) {
      throw new IllegalArgumentException("phase " + name + ": rate " + requestsPerSecond
          + " (expected: > 0 and <= 100000 requests/s)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("phase " + name + ": duration " + duration + " (expected: > 0)");
    }
  }

  @JsonProperty("seconds")
  double seconds() {
    return duration.toMillis() / 1e3;
  }
}
