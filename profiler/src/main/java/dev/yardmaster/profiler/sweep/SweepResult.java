package dev.yardmaster.profiler.sweep;

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
 */
public record SweepResult(
    Profile profile, Map<String, List<PointResult>> points, List<MissingTarget> missing, boolean interrupted) {

  /** Copies the collections. */
  public SweepResult {
    points = Map.copyOf(points);
    missing = List.copyOf(missing);
  }

  /** The measured entries. */
  public List<ProfileEntry> entries() {
    return profile.entries();
  }
}
