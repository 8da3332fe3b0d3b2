package dev.yardmaster.sim;

import dev.yardmaster.router.policy.Tier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Replays a CSV trace: {@code timestamp_ms,model,tier[,rows]} per line, an optional header line
 * starting with {@code timestamp}, blank lines and {@code #} comments skipped. Times are shifted so
 * the first request arrives at 0 and sorted (stably); the duration runs to the last request plus
 * one millisecond. Every problem names the line and the column.
 */
public final class CsvTraces {

  private CsvTraces() {}

  public static Trace read(Path file, String model, List<Tier> tiers) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.getFileName().toString(), model, tiers);
    }
  }

  /**
   * @param source the name used in error messages, e.g. the file name
   * @param model the scenario's model; every line must name it
   * @throws TraceFormatException naming the line and column of the first problem
   */
  public static Trace read(Reader reader, String source, String model, List<Tier> tiers)
      throws IOException {
    BufferedReader lines = new BufferedReader(reader);
    List<long[]> parsed = new ArrayList<>(); // {timestamp ms, tier, rows, order}
    String line;
    int lineNumber = 0;
    while ((line = lines.readLine()) != null) {
      lineNumber++;
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")
          || (parsed.isEmpty() && trimmed.toLowerCase(Locale.ROOT).startsWith("timestamp"))) {
        continue;
      }
      String[] fields = trimmed.split(",", -1);
      if (fields.length < 3 || fields.length > 4) {
        throw new TraceFormatException(source, lineNumber, 0, fields.length
            + " fields (expected: timestamp_ms,model,tier[,rows])");
      }
      long timestamp = parseLong(fields[0], source, lineNumber, 1, "timestamp_ms");
      if (timestamp < 0) {
        throw new TraceFormatException(source, lineNumber, 1, "timestamp_ms: " + timestamp
            + " (expected: >= 0)");
      }
      String name = fields[1].trim();
      if (!name.equals(model)) {
        throw new TraceFormatException(source, lineNumber, 2,
            "model: \"" + name + "\" (expected: " + model + ", the scenario's model)");
      }
      int tier = tierIndex(fields[2].trim(), tiers);
      if (tier < 0) {
        throw new TraceFormatException(source, lineNumber, 3,
            "tier: \"" + fields[2].trim() + "\" (expected: one of " + tierNames(tiers) + ")");
      }
      long rows = fields.length == 4 ? parseLong(fields[3], source, lineNumber, 4, "rows") : 1;
      if (rows < 1 || rows > Integer.MAX_VALUE) {
        throw new TraceFormatException(source, lineNumber, 4, "rows: " + rows + " (expected: >= 1)");
      }
      parsed.add(new long[] {timestamp, tier, rows});
    }
    if (parsed.isEmpty()) {
      throw new TraceFormatException(source, Math.max(1, lineNumber), 0,
          "no requests (expected: at least one line timestamp_ms,model,tier[,rows])");
    }
    parsed.sort((a, b) -> Long.compare(a[0], b[0])); // List.sort is stable
    long first = parsed.get(0)[0];
    int n = parsed.size();
    long[] at = new long[n];
    byte[] tierOf = new byte[n];
    int[] rowsOf = new int[n];
    for (int i = 0; i < n; i++) {
      long[] request = parsed.get(i);
      at[i] = Math.multiplyExact(request[0] - first, 1_000_000L);
      tierOf[i] = (byte) request[1];
      rowsOf[i] = (int) request[2];
    }
    return new Trace("replay of " + source, at[n - 1] + 1_000_000L, at, tierOf, rowsOf);
  }

  private static long parseLong(String field, String source, int line, int column, String name) {
    try {
      return Long.parseLong(field.trim());
    } catch (NumberFormatException e) {
      throw new TraceFormatException(source, line, column,
          name + ": \"" + field.trim() + "\" (expected: an integer)");
    }
  }

  private static int tierIndex(String name, List<Tier> tiers) {
    for (Tier tier : tiers) {
      if (tier.name().equalsIgnoreCase(name)) {
        return tier.index();
      }
    }
    return -1;
  }

  private static String tierNames(List<Tier> tiers) {
    String[] names = new String[tiers.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = tiers.get(i).name();
    }
    return Arrays.toString(names);
  }
}
