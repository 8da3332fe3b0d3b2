package dev.yardmaster.router.bench.soak;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads values out of a Prometheus text exposition (format 0.0.4), as a scrape of {@code /metrics}
 * returns it: enough to sum one family's samples whose labels match, not a general parser.
 */
public final class MetricsText {

  private MetricsText() {}

  /**
   * The sum of the samples of {@code family} that carry every label in {@code labels} (with that
   * exact value); empty when no sample matches.
   */
  public static OptionalDouble sum(String exposition, String family, Map<String, String> labels) {
    double total = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#") || !line.startsWith(family)) {
        continue;
      }
      int nameEnd = nameEnd(line);
      if (nameEnd != family.length()) {
        continue; // a longer name that starts the same, e.g. family_total
      }
      int valueStart = line.charAt(nameEnd) == '{' ? line.indexOf('}', nameEnd) + 1 : nameEnd;
      if (valueStart <= 0 || !hasLabels(line.substring(nameEnd, valueStart), labels)) {
        continue;
      }
      String[] rest = line.substring(valueStart).trim().split("\\s+");
      total += Double.parseDouble(rest[0]);
      found = true;
    }
    return found ? OptionalDouble.of(total) : OptionalDouble.empty();
  }

  private static int nameEnd(String line) {
    int end = 0;
    while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
      end++;
    }
    return end;
  }

  private static boolean hasLabels(String labelBlock, Map<String, String> labels) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String pair = label.getKey() + "=\"" + label.getValue() + "\"";
      if (!labelBlock.contains("{" + pair) && !labelBlock.contains("," + pair)) {
        return false;
      }
    }
    return true;
  }
}
