package dev.yardmaster.backend.repository;

import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelVersionPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which versions of a model to serve, as Triton's {@code version_policy}: the latest N, all, or
 * specific ones. Versions are the subdirectories of the model directory named by a version number
 * ({@link #versionDirectories}), whether or not they hold the model file, as Triton's
 * {@code VersionsToLoad}: a selected version without it fails to load, saying so.
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

  /** The listed versions that are available; as Triton, a listed version without a directory is left out. */
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

  /**
   * The policy a {@code version_policy} names; an empty {@code version_policy {}} serves every
   * version, as Triton's {@code VersionsToLoad} reads a policy with no choice. A config without
   * {@code version_policy} gets {@link #latest()} instead ({@link #of(ModelConfig)}).
   */
  static VersionPolicy of(ModelVersionPolicy policy) {
    return switch (policy.getPolicyChoiceCase()) {
      case LATEST -> new Latest(policy.getLatest().getNumVersions());
      case ALL, POLICYCHOICE_NOT_SET -> new All();
      case SPECIFIC -> new Specific(policy.getSpecific().getVersionsList());
    };
  }

  /** The policy of a config: {@link #latest()} when it has no {@code version_policy}, as Triton's default. */
  static VersionPolicy of(ModelConfig config) {
    return config.hasVersionPolicy() ? of(config.getVersionPolicy()) : latest();
  }

  /**
   * The version directories of a model and the subdirectories that are none.
   *
   * @param versions the versions, one per version directory, ascending; their files are not looked at
   * @param ignored why each other subdirectory is not a version, e.g. {@code version directory '01'
   *     ignored: leading zeros (expected: ...)}; Triton's own folders and hidden ones are left out
   */
  record VersionDirectories(List<Long> versions, List<String> ignored) {
    public VersionDirectories {
      versions = List.copyOf(versions);
      ignored = List.copyOf(ignored);
    }
  }

  /**
   * Reads the subdirectories of {@code modelDirectory} as Triton's {@code VersionsToLoad}: a
   * version directory is named by a non-negative integer without leading zeros ({@code 0},
   * {@code 7}, {@code 10}; {@code 01} is ignored); other names are ignored. Names Triton's
   * {@code std::stoll} would still read ({@code +1}, {@code -1}, {@code 1a}) are ignored too:
   * Triton then loads the version from the directory {@code 1} (or {@code -1}), never from these,
   * so their files are never served. As Triton, a version directory counts whatever it holds: one
   * without its model file is a version that fails to load ({@link ModelDefinition#requireModelFile}),
   * never one skipped in silence while an older version serves instead.
   */
  static VersionDirectories versionDirectories(Path modelDirectory) {
    List<Long> versions = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    try (Stream<Path> children = Files.list(modelDirectory)) {
      for (Path child : children.filter(Files::isDirectory).sorted().toList()) {
        String name = child.getFileName().toString();
        if (name.startsWith(".") || Set.of("warmup", "initial_state", "configs").contains(name)) {
          continue;
        }
        String problem = versionNameProblem(name);
        if (!problem.isEmpty()) {
          ignored.add("version directory '" + name + "' ignored" + problem);
        } else {
          versions.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    versions.sort(null);
    return new VersionDirectories(versions, ignored);
  }

  /** Why {@code name} is not a version directory name, "" when it is one. */
  private static String versionNameProblem(String name) {
    if (!name.matches("[0-9]+")) {
      return " (expected: a version number, digits only, e.g. 1)";
    }
    if (name.length() > 1 && name.startsWith("0")) {
      return ": leading zeros (expected: " + name.replaceFirst("^0+(?=.)", "") + ", as Triton ignores '" + name
          + "' too)";
    }
    try {
      Long.parseLong(name);
      return "";
    } catch (NumberFormatException e) {
      return " (expected: a version number <= " + Long.MAX_VALUE + ")";
    }
  }
}
