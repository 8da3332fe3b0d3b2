package dev.yardmaster.router.admission;

import dev.yardmaster.backend.InferenceException;

/** Parses the {@code grpc-timeout} header: 1 to 8 digits and a unit (H, M, S, m, u, n). */
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

  private static InferenceException malformed(String value) {
    return InferenceException.invalidArgument(
        "%s: \"%s\" (expected: 1 to 8 digits and a unit of H, M, S, m, u or n)",
        Admission.GRPC_TIMEOUT_HEADER, value);
  }
}
