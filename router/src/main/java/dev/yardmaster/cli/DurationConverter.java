package dev.yardmaster.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations as operators write them: {@code 250ms}, {@code 3s}, {@code 2m} or ISO {@code PT3S}. */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String text = value.trim();
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      if (text.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
      }
      if (text.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
      }
      return Duration.parse(text);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new TypeConversionException(
          "duration: '" + value + "' (expected: e.g. 250ms, 3s, 2m or PT3S)");
    }
  }
}
