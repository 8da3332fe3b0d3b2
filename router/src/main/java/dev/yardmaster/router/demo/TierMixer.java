package dev.yardmaster.router.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Which SLA tier each arrival of the tour carries: a seeded draw over the tiers' shares, so a run
 * (and the comparison run of another policy) sees the same sequence of tiers.
 *
 * @param tiers tier names, e.g. gold, silver, bronze
 * @param shares their shares, summing to 1
 */
record TierMixer(List<String> tiers, List<Double> shares) {

  /** 20% gold, 30% silver, 50% bronze. */
  static final TierMixer DEFAULT = new TierMixer(List.of("gold", "silver", "bronze"), List.of(0.2, 0.3, 0.5));

  TierMixer {
    tiers = List.copyOf(tiers);
    shares = List.copyOf(shares);
    double sum = shares.stream().mapToDouble(Double::doubleValue).sum();
    if (tiers.isEmpty() || tiers.size() != shares.size() || Math.abs(sum - 1) > 1e-9
        || shares.stream().anyMatch(s -> !(s >= 0))) {
      throw new IllegalArgumentException("tier mix: " + tiers + " " + shares
          + " (expected: one share >= 0 per tier, summing to 1)");
    }
  }

  /** A fresh sequence of tier indexes from {@code seed}; not thread-safe. */
  Sequence sequence(long seed) {
    return new Sequence(new SplittableRandom(seed));
  }

  /** Draws tier indexes. */
  final class Sequence {
    private final SplittableRandom random;

    private Sequence(SplittableRandom random) {
      this.random = random;
    }

    int next() {
      double u = random.nextDouble();
      for (int i = 0; i < shares.size() - 1; i++) {
        u -= shares.get(i);
        if (u < 0) {
          return i;
        }
      }
      return shares.size() - 1;
    }
  }
}
