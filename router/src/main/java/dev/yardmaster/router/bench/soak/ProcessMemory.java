package dev.yardmaster.router.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A process's resident memory as Linux reports it in {@code /proc/<pid>/status}: {@code VmRSS}
 * (now) and {@code VmHWM} (the peak so far). Empty where there is no such file (other systems, or
 * the process has exited).
 *
 * @param rssBytes resident set size now
 * @param peakRssBytes the largest resident set size the process has had
 */
public record ProcessMemory(long rssBytes, long peakRssBytes) {

  /** Reads the process's status file; empty when it cannot be read or lacks the two lines. */
  public static Optional<ProcessMemory> read(long pid) {
    try {
      return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException unavailable) {
      return Optional.empty();
    }
  }

  /** Parses the lines of a status file, e.g. {@code VmRSS:	  123456 kB}. */
  static Optional<ProcessMemory> parse(List<String> statusLines) {
    long rss = -1;
    long peak = -1;
    for (String line : statusLines) {
      if (line.startsWith("VmRSS:")) {
        rss = kibibytes(line);
      } else if (line.startsWith("VmHWM:")) {
        peak = kibibytes(line);
      }
    }
    return rss < 0 || peak < 0 ? Optional.empty() : Optional.of(new ProcessMemory(rss * 1024, peak * 1024));
  }

  private static long kibibytes(String line) {
    String[] fields = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    if (fields.length != 2 || !fields[1].equals("kB")) {
      throw new IllegalArgumentException("status line: '" + line + "' (expected: 'Name: <n> kB')");
    }
    return Long.parseLong(fields[0]);
  }
}
