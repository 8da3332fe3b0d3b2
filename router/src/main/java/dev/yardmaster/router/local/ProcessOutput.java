package dev.yardmaster.router.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a child process prints: read line by line to its end, each line handed to a listener (to
 * find a startup line) and the last few kept for error messages. Thread-safe.
 */
public final class ProcessOutput {

  private final int kept;
  private final ArrayDeque<String> recent = new ArrayDeque<>();

  /** Keeps the last {@code kept} lines. */
  public ProcessOutput(int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("kept: " + kept + " (expected: >= 1)");
    }
    this.kept = kept;
  }

  /** Reads the process's standard output (with stderr when redirected) until it closes. */
  public void read(Process process, Consumer<String> onLine) {
    try (BufferedReader output = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = output.readLine()) != null; ) {
        synchronized (recent) {
          if (recent.size() == kept) {
            recent.removeFirst();
          }
          recent.addLast(line);
        }
        onLine.accept(line);
      }
    } catch (IOException closed) {
      // the process is gone: the caller's end-of-output handling says so
    }
  }

  /** The last lines read, oldest first. */
  public List<String> lines() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }
}
