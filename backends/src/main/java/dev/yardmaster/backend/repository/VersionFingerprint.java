package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a reload compares to tell that a version's files changed: name, size, modification time and
 * file key (inode) of every file in its version directory (the model file, ONNX external data
 * beside it or in a {@code model.onnx/} directory) and in the model's {@code warmup/} directory,
 * whose files the version runs before it serves. Triton's reload looks at the newest time of every
 * file in the model directory but {@code config.pbtxt}, the config being compared on its own.
 */
final class VersionFingerprint {

  /** How deep a directory's files count for a fingerprint (external data may sit in folders). */
  private static final int MAX_DEPTH = 8;

  private VersionFingerprint() {}

  /**
   * The fingerprint of {@code versionDirectory} and {@code warmupDirectory} (absent is fine):
   * equal strings mean none of their files was replaced, added or removed.
   *
   * @throws InferenceException INTERNAL when a directory cannot be read
   */
  static String of(Path versionDirectory, Path warmupDirectory) {
    StringBuilder fingerprint = new StringBuilder();
    append(fingerprint, versionDirectory, "");
    if (Files.isDirectory(warmupDirectory)) {
      append(fingerprint, warmupDirectory, ModelWarmupValidator.WARMUP_DIRECTORY + "/");
    }
    return fingerprint.toString();
  }

  private static void append(StringBuilder fingerprint, Path directory, String prefix) {
    try (Stream<Path> files = Files.walk(directory, MAX_DEPTH)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        // Nanoseconds where the file system keeps them: weights rewritten in place within a
        // millisecond of the last load still count; the file key catches a file renamed over it.
        fingerprint.append(prefix).append(directory.relativize(file)).append(':').append(attributes.size())
            .append('@').append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
            .append('#').append(attributes.fileKey()).append(';');
      }
    } catch (IOException | UncheckedIOException e) {
      throw InferenceException.internal("%s: %s (expected: a readable directory)", directory, e);
    }
  }
}
