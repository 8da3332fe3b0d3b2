package dev.yardmaster.profiler.sweep;

/**
 * A target the sweep could not (fully) measure, and why; reports list these beside the results.
 *
 * @param pool the target's pool
 * @param endpoint host:port
 * @param what {@code endpoint}, {@code model}, {@code price} or {@code points}
 * @param reason what went wrong, in the error grammar
 */
public record MissingTarget(String pool, String endpoint, String what, String reason) {

  @Override
  public String toString() {
    return pool + " (" + endpoint + ") " + what + ": " + reason;
  }
}
