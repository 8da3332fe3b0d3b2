package dev.yardmaster.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --format text|json}: the mixin of every command that prints data on stdout. */
final class FormatOption {
  static final String TEXT = "text";
  static final String JSON = "json";

  @Option(names = "--format", defaultValue = TEXT, paramLabel = "text|json",
      description = "stdout format: text or json (default: ${DEFAULT-VALUE}).")
  String format = TEXT;

  /** "text" or "json"; null (with the reason on {@code err}) for anything else. */
  @Nullable String resolve(PrintWriter err) {
    String normalized = format.toLowerCase(Locale.ROOT);
    if (!normalized.equals(TEXT) && !normalized.equals(JSON)) {
      err.println("--format: " + format + " (expected: text or json)");
      return null;
    }
    return normalized;
  }
}
