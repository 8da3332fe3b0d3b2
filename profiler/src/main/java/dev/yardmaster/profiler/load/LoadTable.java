package dev.yardmaster.profiler.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Load results as an aligned text table: label, concurrency, inferences per second, p50 and p99 in
 * milliseconds, errors, and a throughput ratio column when any row has a baseline.
 *
 * <pre>
 * label    c  inf/s  p50 ms  p99 ms  errors  vs base
 * direct  64  52310   1.021   3.210       0
 * router  64  47110   1.130   3.601       0    0.90x
 * </pre>
 */
public final class LoadTable {
  private static final String[] HEADER = {
    "label", "c", "inf/s", "p50 ms", "p99 ms", "errors", "vs base"
  };

  private record Row(String label, LoadResult result, @Nullable LoadResult baseline) {}

  private final List<Row> rows = new ArrayList<>();

  private LoadTable() {}

  /** An empty table. */
  public static LoadTable create() {
    return new LoadTable();
  }

  /** Adds a row without a ratio. */
  public LoadTable add(String label, LoadResult result) {
    rows.add(new Row(label, result, null));
    return this;
  }

  /** Adds a row whose ratio column is its inferences per second over the baseline's. */
  public LoadTable add(String label, LoadResult result, LoadResult baseline) {
    rows.add(new Row(label, result, baseline));
    return this;
  }

  /** The table, one line per row after the header, each line ending in a newline. */
  public String render() {
    boolean ratios = rows.stream().anyMatch(row -> row.baseline() != null);
    int columns = ratios ? HEADER.length : HEADER.length - 1;
    List<String[]> cells = new ArrayList<>(rows.size() + 1);
    cells.add(HEADER);
    for (Row row : rows) {
      cells.add(cells(row));
    }
    int[] widths = new int[columns];
    for (String[] line : cells) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          text.append("  ");
        }
        String pad = " ".repeat(widths[c] - line[c].length());
        // the label reads left to right; numbers line up on their last digit
        text.append(c == 0 ? line[c] + pad : pad + line[c]);
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  private static String[] cells(Row row) {
    LoadResult result = row.result();
    LoadResult baseline = row.baseline();
    String ratio = "";
    if (baseline != null) {
      ratio =
          baseline.inferencesPerSecond() > 0
              ? format("%.2fx", result.inferencesPerSecond() / baseline.inferencesPerSecond())
              : "n/a";
    }
    return new String[] {
      row.label(),
      Integer.toString(result.concurrency()),
      result.inferencesPerSecond() >= 100
          ? format("%.0f", result.inferencesPerSecond())
          : format("%.1f", result.inferencesPerSecond()),
      format("%.3f", result.p50Ms()),
      format("%.3f", result.p99Ms()),
      Long.toString(result.totalErrors()),
      ratio
    };
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
