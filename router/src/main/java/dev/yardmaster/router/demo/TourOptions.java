package dev.yardmaster.router.demo;

import dev.yardmaster.profiler.sweep.SweepPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How long and how hard the tour runs.
 *
 * @param outputDir where the models, profiles, config and demo-*.json go
 * @param quick the short smoke run
 * @param loadPerPolicy recorded load per policy (base, peak, base thirds)
 * @param warmUp unrecorded load before each policy's run (the router learns its corrections)
 * @param peakFactor peak rate as a multiple of the CPU pool's capacity (its best profiled batch-1
 *     throughput)
 * @param seed seed of the inputs, arrivals and tiers
 */
public record TourOptions(Path outputDir, boolean quick, Duration loadPerPolicy, Duration warmUp, double peakFactor,
    long seed) {

  /**
   * Base phases run at this multiple of the CPU pool's capacity (its best profiled batch-1
   * throughput): its queue stays short and every tier can stay on it.
   */
  static final double BASE_FACTOR = 0.5;
  /** No phase asks for more than this, whatever the profile says. */
  static final double MAX_RATE = 6_000;

  public TourOptions {
    if (loadPerPolicy.toMillis() < 300) {
      throw new IllegalArgumentException("--duration: " + loadPerPolicy + " (expected: >= 300ms)");
    }
    if (warmUp.isNegative()) {
      throw new IllegalArgumentException("--warm-up: " + warmUp + " (expected: >= 0)");
    }
    if (!(peakFactor > 0 && peakFactor <= 5)) {
      throw new IllegalArgumentException("--peak: " + peakFactor + " (expected: > 0 and <= 5)");
    }
  }

  /**
   * Peak rate over the CPU pool's capacity (its best profiled batch-1 throughput, measured straight
   * at the pool): above 1 its queue grows for as long as the peak lasts, as long as the pool drains
   * about what its profile measured (a profile caught in a slow moment of a busy host under-states it).
   */
  public static final double DEFAULT_PEAK_FACTOR = 1.5;

  /** The default run: 24 s of load per policy after 2 s of warm-up (about 80 s in all). */
  public static TourOptions defaults(Path outputDir) {
    return new TourOptions(outputDir, false, Duration.ofSeconds(24), Duration.ofSeconds(2), DEFAULT_PEAK_FACTOR, 42);
  }

  /** The smoke run: 4.5 s of load per policy (1.5 s a phase) after 0.5 s of warm-up, short profiles. */
  public static TourOptions quick(Path outputDir) {
    return new TourOptions(outputDir, true, Duration.ofMillis(4_500), Duration.ofMillis(500), DEFAULT_PEAK_FACTOR, 42);
  }

  /**
   * The profile sweep of each pool: batch 1 (the load's requests) and 16 (how much batching gains
   * there, which the router's drain rate and cost ranking read), at two concurrencies.
   */
  SweepPlan profilePlan() {
    if (quick) {
      return new SweepPlan(List.of(1, 16), List.of(1, 8), SweepPlan.Mode.CLOSED_LOOP, 0, Duration.ofMillis(50),
          Duration.ofMillis(100), 2, 0.2, Duration.ofMillis(400), Duration.ofSeconds(5), seed);
    }
    return SweepPlan.quick(List.of(1, 16), List.of(1, 8));
  }

  /** Unrecorded load through the router before the first policy: twice the warm-up at the base rate. */
  LoadPhase routerWarmUp(LoadPhase warmUpPhase) {
    return new LoadPhase("warm-up", warmUpPhase.requestsPerSecond(), warmUpPhase.duration().multipliedBy(2), false);
  }

  /** Warm-up, then base, peak and base again, scaled to the CPU pool's capacity in rows per second. */
  List<LoadPhase> phases(double cpuCapacity) {
    double base = Math.min(MAX_RATE, Math.max(20, BASE_FACTOR * cpuCapacity));
    double peak = Math.min(MAX_RATE, Math.max(base, peakFactor * cpuCapacity));
    Duration third = loadPerPolicy.dividedBy(3);
    return List.of(new LoadPhase("warm-up", base, warmUp.isZero() ? Duration.ofMillis(1) : warmUp, false),
        new LoadPhase("base", base, third, true),
        new LoadPhase("peak", peak, third, true),
        new LoadPhase("base", base, third, true));
  }
}
