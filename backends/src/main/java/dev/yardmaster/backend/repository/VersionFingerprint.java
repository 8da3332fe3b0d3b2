package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * What a reload compares to tell that a version's files changed: name, size and modification time
 * of the model file and every file beside it in its version directory (ONNX external data, for
 * one), as Triton's reload looks at the newest time in the version directory.
 */
final class VersionFingerprint {

  /** How deep a version directory's files count for its fingerprint (external data may sit in folders). */
  private static final int MAX_VERSION_DIRECTORY_DEPTH = 8;

  private VersionFingerprint() {}

  /**
   * The fingerprint of the version directory holding {@code modelFile}: equal strings mean none of
   * its files was replaced.
   *
   * @throws InferenceException INTERNAL when the version directory cannot be read
   */
  static String of(Path modelFile) {
    Path versionDirectory = modelFile.getParent();
    StringBuilder fingerprint = new StringBuilder();
    try (Stream<Path> files = Files.walk(versionDirectory, MAX_VERSION_DIRECTORY_DEPTH)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        fingerprint.append(versionDirectory.relativize(file)).append(':').append(attributes.size())
            .append('@').append(attributes.lastModifiedTime().toMillis()).append(';');
      }
    } catch (IOException | UncheckedIOException e) {
      throw InferenceException.internal("%s: %s (expected: a readable version directory)", versionDirectory, e);
    }
    return fingerprint.toString();
  }
}
