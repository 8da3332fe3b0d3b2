package dev.yardmaster.router.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a report as pretty JSON twice: {@code <prefix>-<UTC timestamp>.json}, kept, and {@code
 * <prefix>-latest.json}, replaced (temp file then rename, so a reader never sees half a file).
 */
public final class ReportFiles {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private ReportFiles() {}

  /** Writes both files and returns the timestamped one. */
  public static Path write(Path directory, String prefix, Object report, Instant at)
      throws IOException {
    Files.createDirectories(directory);
    byte[] bytes = JSON.writeValueAsBytes(report);
    Path stamped = directory.resolve(prefix + "-" + STAMP.format(at) + ".json");
    Files.write(stamped, bytes);
    Path temp = Files.createTempFile(directory, prefix + "-latest", ".tmp");
    Files.write(temp, bytes);
    Files.move(temp, directory.resolve(prefix + "-latest.json"),
        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return stamped;
  }

  /** Reads a report back as a tree (for tests and tools). */
  public static com.fasterxml.jackson.databind.JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }
}
