package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's root directory as {@link RepositoryModelManager} sees it: which model
 * directories it holds, and the directory of one model once its name is checked to be one of them.
 */
final class RepositoryDirectory {

  private final Path root;

  /**
   * The repository rooted at {@code root}.
   *
   * @throws InferenceException INVALID_ARGUMENT when {@code root} is not a directory
   */
  RepositoryDirectory(Path root) {
    if (!Files.isDirectory(root)) {
      throw InferenceException.invalidArgument("model repository: %s (expected: a directory)", root);
    }
    this.root = root;
  }

  /** The repository's model directories (those whose name is a valid model name), sorted. */
  List<String> modelNames() {
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(Files::isDirectory).map(path -> path.getFileName().toString())
          .filter(name -> !name.startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw InferenceException.internal("model repository %s: %s (expected: a readable directory)", root, e);
    }
  }

  /**
   * The directory of model {@code name}.
   *
   * @throws InferenceException INVALID_ARGUMENT when {@code name} could reach outside the
   *     repository, NOT_FOUND when the repository has no such directory
   */
  Path modelDirectory(String name) {
    if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
      throw InferenceException.invalidArgument("model name: '%s' (expected: a directory name of the repository)", name);
    }
    Path directory = root.resolve(name);
    if (!Files.isDirectory(directory)) {
      throw InferenceException.notFound("model '%s' is not found in repository %s", name, root);
    }
    return directory;
  }
}
