package dev.yardmaster.router.admission;

import dev.yardmaster.router.policy.Tier;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The {@code tiers} and {@code default_tier} config sections: each tier's p99 budget and batcher
 * priority, and the tier of a request that names none.
 *
 * @param tiers the tiers, at their {@link Tier#index()} positions; names lower case and unique
 * @param defaultTier the tier of a request without {@code x-sla-tier}
 */
public record AdmissionConfig(List<Tier> tiers, Tier defaultTier) {

  public AdmissionConfig {
    tiers = List.copyOf(tiers);
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("tiers: [] (expected: at least one tier)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier tier = tiers.get(i);
      if (!tier.name().equals(tier.name().toLowerCase(Locale.ROOT)) || !tier.name().equals(tier.name().strip())) {
        throw new IllegalArgumentException(
            "tiers[" + i + "].name: \"" + tier.name() + "\" (expected: lower case, no spaces)");
      }
      if (!names.add(tier.name())) {
        throw new IllegalArgumentException(
            "tiers[" + i + "].name: \"" + tier.name() + "\" (expected: unique tier names)");
      }
      if (tier.index() != i) {
        throw new IllegalArgumentException(
            "tiers[" + i + "].index: " + tier.index() + " (expected: " + i + ", the tier's position)");
      }
      if (tier.priority() < 1) {
        throw new IllegalArgumentException(
            "tiers." + tier.name() + ".priority: " + tier.priority() + " (expected: >= 1, 1 is the highest)");
      }
    }
    if (!tiers.contains(defaultTier)) {
      throw new IllegalArgumentException(
          "default_tier: \"" + defaultTier.name() + "\" (expected: one of " + names(tiers) + ")");
    }
  }

  /** gold p99 <= 50 ms priority 1, silver <= 150 ms priority 2, bronze best effort priority 3; default bronze. */
  public static AdmissionConfig defaults() {
    return new AdmissionConfig(Tier.DEFAULTS, Tier.BRONZE);
  }

  /** The same tiers with another default, named as in the config file. */
  public AdmissionConfig withDefaultTier(String name) {
    for (Tier tier : tiers) {
      if (tier.name().equals(name)) {
        return new AdmissionConfig(tiers, tier);
      }
    }
    throw new IllegalArgumentException("default_tier: \"" + name + "\" (expected: one of " + tierNames() + ")");
  }

  /** The tier names as error messages list them: {@code gold, silver, bronze}. */
  public String tierNames() {
    return names(tiers);
  }

  private static String names(List<Tier> tiers) {
    StringJoiner joined = new StringJoiner(", ");
    for (Tier tier : tiers) {
      joined.add(tier.name());
    }
    return joined.toString();
  }
}
