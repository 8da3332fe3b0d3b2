package dev.yardmaster.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Share of requests per tier, in the order of the scenario's tier list.
 *
 * @param shares non-negative, summing to 1 (within 1e-9)
 */
public record TierMix(List<Double> shares) {

  /** 20% gold, 30% silver, 50% bronze. */
  public static final TierMix DEFAULT = new TierMix(List.of(0.2, 0.3, 0.5));

  public TierMix {
    shares = List.copyOf(shares);
    double sum = 0;
    for (double share : shares) {
      if (!(share >= 0)) {
        throw new IllegalArgumentException("tier share: " + share + " (expected: >= 0)");
      }
      sum += share;
    }
    if (shares.isEmpty() || Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("tier shares: " + shares + " (expected: summing to 1)");
    }
  }

  /** Parses {@code 20/30/50} (percentages) into a mix. */
  public static TierMix parse(String text) {
    String[] parts = text.split("/");
    double[] values = new double[parts.length];
    double sum = 0;
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("tier mix: \"" + text + "\" (expected: e.g. 20/30/50)");
      }
      sum += values[i];
    }
    Double[] shares = new Double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shares[i] = values[i] / sum;
    }
    return new TierMix(List.of(shares));
  }

  /** A tier index drawn with these shares. */
  int sample(SplittableRandom random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int i = 0; i < shares.size() - 1; i++) {
      cumulative += shares.get(i);
      if (u < cumulative) {
        return i;
      }
    }
    return shares.size() - 1;
  }
}
