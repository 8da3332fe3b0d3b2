package dev.yardmaster.router.admission;

import dev.yardmaster.backend.InferenceException;

/** Parses and writes the {@code grpc-timeout} header: 1 to 8 digits and a unit (H, M, S, m, u, n). */
public final class GrpcTimeout {

  /** Longest timeout kept: adding it to a nanoTime reading cannot overflow. */
  public static final long MAX_NANOS = Long.MAX_VALUE / 4;

  private GrpcTimeout() {}

  public static long parseNanos(String value) {
    int length = value.length();
    if (length < 2 || length > 9) {
      throw malformed(value);
    }
    long amount = 0;
    for (int i = 0; i < length - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(value);
      }
      amount = amount * 10 + (c - '0');
    }
    long nanosPerUnit = switch (value.charAt(length - 1)) {
      case 'H' -> 3_600_000_000_000L;
      case 'M' -> 60_000_000_000L;
      case 'S' -> 1_000_000_000L;
      case 'm' -> 1_000_000L;
      case 'u' -> 1_000L;
      case 'n' -> 1L;
      default -> throw malformed(value);
    };
    // 99999999 hours overflows a long: saturate far beyond any real deadline instead
    return amount > MAX_NANOS / nanosPerUnit ? MAX_NANOS : amount * nanosPerUnit;
  }

  /**
   * {@code nanos} (> 0) as a {@code grpc-timeout} value, in the finest unit that fits 8 digits
   * (rounded down, as grpc-java writes it).
   */
  public static String format(long nanos) {
    long limit = 100_000_000L;
    if (nanos < limit) {
      return nanos + "n";
    }
    long micros = nanos / 1_000L;
    if (micros < limit) {
      return micros + "u";
    }
    long millis = nanos / 1_000_000L;
    if (millis < limit) {
      return millis + "m";
    }
    long seconds = nanos / 1_000_000_000L;
    if (seconds < limit) {
      return seconds + "S";
    }
    long minutes = seconds / 60;
    return minutes < limit ? minutes + "M" : Math.min(limit - 1, minutes / 60) + "H";
  }

  private static InferenceException malformed(String value) {
    return InferenceException.invalidArgument(
        "%s: \"%s\" (expected: 1 to 8 digits and a unit of H, M, S, m, u or n)",
        Admission.GRPC_TIMEOUT_HEADER, value);
  }
}
