package dev.yardmaster.profiler.load;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * When open-loop requests arrive: evenly spaced, or a Poisson process (exponential gaps from a
 * seed, so a run can be repeated).
 *
 * @param kind evenly spaced or Poisson
 * @param ratePerSecond mean arrivals per second
 * @param seed the Poisson process's random seed (unused for uniform)
 */
public record ArrivalProcess(Kind kind, double ratePerSecond, long seed) {

  /** Most arrivals per second one driver is asked for. */
  public static final double MAX_RATE_PER_SECOND = 10_000_000;

  /** The shape of the gaps between arrivals. */
  public enum Kind {
    /** Every gap is {@code 1 / rate}. */
    UNIFORM,
    /** Gaps are exponential with mean {@code 1 / rate}. */
    POISSON
  }

  /** Validates the rate. */
  public ArrivalProcess {
    if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
      throw new IllegalArgumentException(
          "ratePerSecond: "
              + ratePerSecond
              + " (expected: > 0 and <= "
              + MAX_RATE_PER_SECOND
              + ")");
    }
  }

  /** Evenly spaced arrivals. */
  public static ArrivalProcess uniform(double ratePerSecond) {
    return new ArrivalProcess(Kind.UNIFORM, ratePerSecond, 0L);
  }

  /** Poisson arrivals from a seed. */
  public static ArrivalProcess poisson(double ratePerSecond, long seed) {
    return new ArrivalProcess(Kind.POISSON, ratePerSecond, seed);
  }

  /** A fresh sequence of gaps between arrivals, in nanoseconds; not thread-safe. */
  public DoubleSupplier gapsNanos() {
    double meanGapNanos = 1e9 / ratePerSecond;
    if (kind == Kind.UNIFORM) {
      return () -> meanGapNanos;
    }
    SplittableRandom random = new SplittableRandom(seed);
    // inverse transform: -ln(1 - U) is exponential with mean 1; 1 - U is in (0, 1]
    return () -> -Math.log(1.0 - random.nextDouble()) * meanGapNanos;
  }
}
