package dev.yardmaster.router.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Medians and ranges over repeated measurements (rounds), which judge the benchmarks' targets. */
public final class Medians {

  private Medians() {}

  /** The median of one value over the items; NaN for none. */
  public static <T> double of(List<T> items, ToDoubleFunction<T> value) {
    double[] values = items.stream().mapToDouble(value).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  /** The smallest and largest of one value over the items; NaN, NaN for none. */
  public static <T> double[] range(List<T> items, ToDoubleFunction<T> value) {
    double[] values = items.stream().mapToDouble(value).toArray();
    return new double[] {
      Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN)
    };
  }
}
