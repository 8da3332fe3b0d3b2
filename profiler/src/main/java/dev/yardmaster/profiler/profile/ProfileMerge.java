package dev.yardmaster.profiler.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges new measurements into an existing profile ({@code yardmaster profile --update}): an entry
 * of the update replaces the existing entry with the same (version, backend, pool); the others are
 * kept in their order and new ones appended. The update's tiers and time win.
 */
public final class ProfileMerge {

  private ProfileMerge() {}

  public static Profile merge(Profile existing, Profile update) {
    if (!existing.model().equals(update.model())) {
      throw new IllegalArgumentException(
          "model: " + update.model() + " (expected: " + existing.model() + ", the model of the existing file)");
    }
    List<ProfileEntry> merged = new ArrayList<>(existing.entries());
    for (ProfileEntry entry : update.entries()) {
      int same = -1;
      for (int i = 0; i < merged.size(); i++) {
        if (sameKey(merged.get(i), entry)) {
          same = i;
        }
      }
      if (same >= 0) {
        merged.set(same, entry);
      } else {
        merged.add(entry);
      }
    }
    // recompute every entry's derived facts under the (possibly new) tiers
    List<ProfileEntry> underived = merged.stream().map(e -> e.withDerived(null)).toList();
    return new Profile(Profile.SCHEMA_VERSION, update.model(), update.generatedAt(), update.tiers(),
        update.targetThroughput() > 0 ? update.targetThroughput() : existing.targetThroughput(), underived,
        update.unmeasured()).withDerived();
  }

  /** Whether two entries measure the same (version, backend, pool). */
  public static boolean sameKey(ProfileEntry a, ProfileEntry b) {
    return a.modelVersion().equals(b.modelVersion()) && a.backend().equals(b.backend()) && a.pool().equals(b.pool());
  }
}
