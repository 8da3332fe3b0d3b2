package dev.yardmaster.sim;

import java.util.SplittableRandom;

/**
 * Rows per request, drawn uniformly from {@code [min, max]}.
 *
 * @param min at least 1
 * @param max at least min
 */
public record RowRange(int min, int max) {

  public static final RowRange ONE = new RowRange(1, 1);

  public RowRange {
    if (min < 1) {
      throw new IllegalArgumentException("rows min: " + min + " (expected: >= 1)");
    }
    if (max < min) {
      throw new IllegalArgumentException("rows max: " + max + " (expected: >= min " + min + ")");
    }
  }

  /** Parses {@code 4} or {@code 1-8}. */
  public static RowRange parse(String text) {
    try {
      int dash = text.indexOf('-');
      return dash < 0
          ? new RowRange(Integer.parseInt(text.trim()), Integer.parseInt(text.trim()))
          : new RowRange(Integer.parseInt(text.substring(0, dash).trim()),
              Integer.parseInt(text.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rows: \"" + text + "\" (expected: N or MIN-MAX)");
    }
  }

  public double mean() {
    return (min + max) / 2.0;
  }

  int sample(SplittableRandom random) {
    return min == max ? min : random.nextInt(min, max + 1);
  }
}
