package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which versions of a model to serve, as Triton's {@code version_policy}: the latest N, all, or
 * specific ones. Versions are the numeric subdirectories of the model directory that hold the
 * model file; others are ignored.
 */
public sealed interface VersionPolicy {

  /** The highest {@code numVersions} versions. */
  record Latest(int numVersions) implements VersionPolicy {
    @Override
    public List<Long> select(List<Long> available) {
      List<Long> sorted = available.stream().sorted().toList();
      int from = Math.max(0, sorted.size() - Math.max(numVersions, 0));
      return sorted.subList(from, sorted.size());
    }
  }

  /** Every available version. */
  record All() implements VersionPolicy {
    @Override
    public List<Long> select(List<Long> available) {
      return available.stream().sorted().toList();
    }
  }

  /** The listed versions that are available. */
  record Specific(List<Long> versions) implements VersionPolicy {
    public Specific {
      versions = List.copyOf(versions);
    }

    @Override
    public List<Long> select(List<Long> available) {
      return available.stream().filter(versions::contains).sorted().toList();
    }
  }

  /** The versions to serve out of the available ones, ascending. */
  List<Long> select(List<Long> available);

  /** Triton's default: the latest version only. */
  static VersionPolicy latest() {
    return new Latest(1);
  }

  /** The policy a config declares; {@link #latest()} when it declares none. */
  static VersionPolicy of(ModelVersionPolicy policy) {
    return switch (policy.getPolicyChoiceCase()) {
      case LATEST -> new Latest(policy.getLatest().getNumVersions());
      case ALL -> new All();
      case SPECIFIC -> new Specific(policy.getSpecific().getVersionsList());
      case POLICYCHOICE_NOT_SET -> latest();
    };
  }

  /** The numeric subdirectories of {@code modelDirectory} that contain {@code modelFilename}, ascending. */
  static List<Long> availableVersions(Path modelDirectory, String modelFilename) {
    List<Long> versions = new ArrayList<>();
    try (Stream<Path> children = Files.list(modelDirectory)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        String name = child.getFileName().toString();
        if (name.matches("[0-9]{1,18}") && Files.isRegularFile(child.resolve(modelFilename))) {
          versions.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    versions.sort(null);
    return versions;
  }
}
