package dev.yardmaster.backend.repository;

import java.util.Set;

/**
 * Which models a {@link RepositoryModelManager} loads when it starts, as Triton's model control
 * modes: every model of the repository, or only the named ones (others load on request); and how
 * many it loads at once, as Triton's {@code --model-load-thread-count}.
 *
 * @param loadAll whether to load every model directory at start
 * @param startupModels the models to load at start when {@code loadAll} is false
 * @param loadThreads how many models load at the same time at start, 1 to {@value #MAX_LOAD_THREADS}
 */
public record RepositoryOptions(boolean loadAll, Set<String> startupModels, int loadThreads) {

  /** Triton's default {@code --model-load-thread-count}. */
  public static final int DEFAULT_LOAD_THREADS = 4;
  public static final int MAX_LOAD_THREADS = 64;

  public RepositoryOptions {
    startupModels = Set.copyOf(startupModels);
    if (loadThreads < 1 || loadThreads > MAX_LOAD_THREADS) {
      throw new IllegalArgumentException(
          "loadThreads: " + loadThreads + " (expected: >= 1 and <= " + MAX_LOAD_THREADS + ")");
    }
  }

  /** With {@value #DEFAULT_LOAD_THREADS} load threads. */
  public RepositoryOptions(boolean loadAll, Set<String> startupModels) {
    this(loadAll, startupModels, DEFAULT_LOAD_THREADS);
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

  /** These options with {@code threads} models loading at the same time at start. */
  public RepositoryOptions withLoadThreads(int threads) {
    return new RepositoryOptions(loadAll, startupModels, threads);
  }
}
