package dev.yardmaster.profiler.profile;

import java.io.IOException;
import java.util.List;

/** A profile file that cannot be used; each problem names the JSON field, the value and the fix. */
public final class InvalidProfileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  InvalidProfileException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, e.g. {@code profile m.json: entries[2].grid[0].p99_ms: -1 (expected: >= 0)}. */
  public List<String> problems() {
    return problems;
  }
}
