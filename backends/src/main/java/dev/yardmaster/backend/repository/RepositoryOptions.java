package dev.yardmaster.backend.repository;

import java.util.Set;

/**
 * Which models a {@link RepositoryModelManager} loads when it starts, as Triton's model control
 * modes: every model of the repository, or only the named ones (others load on request).
 *
 * @param loadAll whether to load every model directory at start
 * @param startupModels the models to load at start when {@code loadAll} is false
 */
public record RepositoryOptions(boolean loadAll, Set<String> startupModels) {

  public RepositoryOptions {
    startupModels = Set.copyOf(startupModels);
  }

  /** Load every model at start (Triton's default {@code none} control mode). */
  public static RepositoryOptions loadAllModels() {
    return new RepositoryOptions(true, Set.of());
  }

  /** Load only these models at start (Triton's {@code explicit} mode with {@code --load-model}). */
  public static RepositoryOptions loadOnly(String... models) {
    return new RepositoryOptions(false, Set.of(models));
  }

  /** Load nothing at start. */
  public static RepositoryOptions loadNone() {
    return new RepositoryOptions(false, Set.of());
  }
}
