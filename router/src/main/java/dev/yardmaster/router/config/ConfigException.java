package dev.yardmaster.router.config;

import java.util.List;

/** A config that cannot be used; lists every problem found, each naming its key. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(String where, List<String> problems) {
    super(where + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  "
        + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
