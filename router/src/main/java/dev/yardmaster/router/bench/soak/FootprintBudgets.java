package dev.yardmaster.router.bench.soak;

import dev.yardmaster.router.bench.Medians;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN.md's footprint budgets for the demo server, judged on a soak's measurements: ready within
 * 5 s of launch, resident memory at most 1 GiB under 64-way load, no resident growth over the soak,
 * and no failed request.
 */
public final class FootprintBudgets {

  public static final double STARTUP_SECONDS = 5.0;
  public static final double PEAK_RSS_MIB = 1024.0;
  /**
   * "RSS does not grow", made a number: the least-squares line through the samples after warm-up
   * may rise by at most this much over the soak (2% of the 1 GiB budget). Allocator and JIT noise
   * stay below it; a leak of even 3 KiB per second over the default 8 minutes after warm-up does
   * not.
   */
  public static final double RSS_GROWTH_MIB = 20.0;
  /** Fewer samples after warm-up than this, and growth is not judged (a line through two is noise). */
  public static final int MIN_GROWTH_SAMPLES = 3;

  private FootprintBudgets() {}

  /**
   * The budgets that the measurements can judge: start-up always; peak and growth of resident
   * memory when it was readable (and growth with at least {@value #MIN_GROWTH_SAMPLES} samples
   * after the first {@code warmUpWindows}); failed requests always.
   */
  public static List<FootprintBudget> check(
      List<Double> startupSeconds, List<SoakSample> samples, int warmUpWindows) {
    List<FootprintBudget> budgets = new ArrayList<>();
    budgets.add(FootprintBudget.atMost(
        String.format(Locale.ROOT, "start-up to /v2/health/ready (median of %d launches)", startupSeconds.size()),
        Medians.of(startupSeconds, Double::doubleValue), STARTUP_SECONDS, "s"));
    samples.stream().map(SoakSample::peakRssMiB).filter(Objects::nonNull).mapToDouble(Double::doubleValue).max()
        .ifPresent(peak -> budgets.add(FootprintBudget.atMost("peak resident memory (VmHWM) under load", peak,
            PEAK_RSS_MIB, "MiB")));
    growthMiB(samples, warmUpWindows, SoakSample::rssMiB).ifPresent(growth -> budgets.add(FootprintBudget.atMost(
        "resident memory growth after warm-up (least-squares line)", growth, RSS_GROWTH_MIB, "MiB")));
    long errors = samples.stream().mapToLong(SoakSample::errors).sum();
    budgets.add(FootprintBudget.atMost("failed requests", errors, 0, "requests"));
    return budgets;
  }

  /**
   * How much the least-squares line through one measure rises from the first sample after warm-up
   * to the last; empty with fewer than {@value #MIN_GROWTH_SAMPLES} such samples carrying it.
   */
  public static OptionalDouble growthMiB(
      List<SoakSample> samples, int warmUpWindows, Function<SoakSample, @Nullable Double> measure) {
    List<double[]> points = new ArrayList<>();
    for (SoakSample sample : samples.subList(Math.min(warmUpWindows, samples.size()), samples.size())) {
      Double value = measure.apply(sample);
      if (value != null) {
        points.add(new double[] {sample.minutes(), value});
      }
    }
    if (points.size() < MIN_GROWTH_SAMPLES) {
      return OptionalDouble.empty();
    }
    double meanX = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double meanY = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double covariance = 0;
    double variance = 0;
    for (double[] point : points) {
      covariance += (point[0] - meanX) * (point[1] - meanY);
      variance += (point[0] - meanX) * (point[0] - meanX);
    }
    if (variance == 0) {
      return OptionalDouble.of(0);
    }
    double span = points.get(points.size() - 1)[0] - points.get(0)[0];
    return OptionalDouble.of(covariance / variance * span);
  }

  /** Renders the budgets, one line each: PASS/FAIL, measured, limit, name. */
  public static String render(List<FootprintBudget> budgets) {
    StringBuilder out = new StringBuilder();
    for (FootprintBudget budget : budgets) {
      out.append(String.format(Locale.ROOT, "%-4s  %8.1f %-8s (budget <= %.0f %s)  %s%n",
          budget.passed() ? "PASS" : "FAIL", budget.measured(), budget.unit(), budget.limit(), budget.unit(),
          budget.name()));
    }
    return out.toString();
  }
}
