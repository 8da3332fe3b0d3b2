package dev.yardmaster.router.front.hop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Which CPUs a running process may use, set with util-linux {@code taskset} for every thread of
 * the process and of its descendants (nginx's workers); threads started later inherit it from the
 * thread that starts them. Linux only: {@link #find()} is empty elsewhere or without taskset.
 */
final class CpuAffinity {

  private static final Path PROC = Path.of("/proc");

  private final Path taskset;

  private CpuAffinity(Path taskset) {
    this.taskset = taskset;
  }

  /** taskset from the PATH (or /usr/bin), on Linux; empty where affinity cannot be set. */
  static Optional<CpuAffinity> find() {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      return Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)), Stream.of("/usr/bin", "/bin"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "taskset"))
        .filter(Files::isExecutable)
        .findFirst()
        .map(CpuAffinity::new);
  }

  /** Restricts {@code process}, its descendants and all their threads to {@code cpus} (e.g. {@code 0-2}). */
  void pin(ProcessHandle process, String cpus) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process);
    all.addAll(process.descendants().toList());
    for (ProcessHandle each : all) {
      List<String> command = List.of(taskset.toString(), "-a", "-p", "-c", cpus, Long.toString(each.pid()));
      try {
        run(command);
      } catch (IllegalStateException threadGone) { // a thread that ended between taskset's listing and its call
        run(command);
      }
    }
  }

  /** The CPU list a process may run on, as the kernel reports it ({@code Cpus_allowed_list}). */
  static String allowed(long pid) {
    try {
      return Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status")).stream()
          .filter(line -> line.startsWith("Cpus_allowed_list:"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("pid " + pid + ": no Cpus_allowed_list in its status"));
    } catch (IOException e) {
      throw new UncheckedIOException("pid " + pid + ": " + e.getMessage(), e);
    }
  }

  /** The CPU ids of a kernel CPU list such as {@code 0-3,8,10-11}, ascending. */
  static List<Integer> parse(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.trim().split(",")) {
      String[] range = part.trim().split("-");
      try {
        int first = Integer.parseInt(range[0].trim());
        int last = range.length == 2 ? Integer.parseInt(range[1].trim()) : first;
        if (range.length > 2 || first < 0 || last < first) {
          throw new NumberFormatException(part);
        }
        for (int cpu = first; cpu <= last; cpu++) {
          cpus.add(cpu);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("CPU list: '" + list + "' (expected: e.g. 0-3,8,10-11)", e);
      }
    }
    return cpus.stream().distinct().sorted().toList();
  }

  /** The CPU list of ascending ids, ranges folded: [0, 1, 2, 5] is {@code 0-2,5}. */
  static String format(List<Integer> cpus) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < cpus.size(); i++) {
      int first = cpus.get(i);
      while (i + 1 < cpus.size() && cpus.get(i + 1) == cpus.get(i) + 1) {
        i++;
      }
      list.append(list.isEmpty() ? "" : ",").append(first).append(first == cpus.get(i) ? "" : "-" + cpus.get(i));
    }
    return list.toString();
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
    }
  }
}
