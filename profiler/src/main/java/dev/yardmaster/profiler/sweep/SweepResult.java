package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.pricing.PriceReport;
import dev.yardmaster.profiler.pricing.PriceResolution;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import java.util.List;
import java.util.Map;

/**
 * What a sweep measured for one model.
 *
 * @param profile the profile (with derived facts) of every target that has at least one point
 * @param points per pool, every point as measured (stability and error codes included)
 * @param missing what could not be measured, and why
 * @param interrupted whether the sweep was stopped early (Ctrl-C): the results are partial
 * @param prices per measured target, how its price was resolved: the source that priced it and why
 *     the sources before it had no price
 */
public record SweepResult(
    Profile profile, Map<String, List<PointResult>> points, List<MissingTarget> missing, boolean interrupted,
    List<PriceResolution> prices) {

  /** Copies the collections. */
  public SweepResult {
    points = Map.copyOf(points);
    missing = List.copyOf(missing);
    prices = List.copyOf(prices);
  }

  /** A result without price resolutions. */
  public SweepResult(
      Profile profile, Map<String, List<PointResult>> points, List<MissingTarget> missing, boolean interrupted) {
    this(profile, points, missing, interrupted, List.of());
  }

  /** The price resolutions as a report: which source priced each instance type, and why others did not. */
  public PriceReport priceReport() {
    return new PriceReport(prices);
  }

  /** The measured entries. */
  public List<ProfileEntry> entries() {
    return profile.entries();
  }
}
