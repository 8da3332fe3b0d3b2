package dev.yardmaster.cli;

import dev.yardmaster.backend.ModelManager;
import java.nio.file.Path;

/** Builds the model managers the CLI serves from. */
final class ModelManagers {

  private ModelManagers() {}

  /**
   * The in-process model manager over a Triton-layout repository.
   *
   * <p>INTEGRATION POINT: construct {@code dev.yardmaster.backend.repository.RepositoryModelManager}
   * here once it is on the branch; this is the only place the CLI creates a manager.
   */
  static ModelManager forRepository(Path repository) {
    throw new UnsupportedOperationException(
        "model repository " + repository + ": RepositoryModelManager is not wired yet "
            + "(expected: dev.yardmaster.cli.ModelManagers.forRepository to construct it)");
  }
}
