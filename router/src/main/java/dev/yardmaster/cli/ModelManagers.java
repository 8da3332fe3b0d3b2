package dev.yardmaster.cli;

import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.onnx.OrtRunnerFactory;
import dev.yardmaster.backend.repository.RepositoryModelManager;
import dev.yardmaster.backend.repository.RepositoryOptions;
import java.nio.file.Path;

/** Builds the model managers the CLI serves from. */
final class ModelManagers {

  private ModelManagers() {}

  /** The in-process model manager over a Triton-layout repository: ONNX Runtime behind the batcher. */
  static ModelManager forRepository(Path repository) {
    return new RepositoryModelManager(repository, OrtRunnerFactory.withDefaults(), Schedulers.factory(),
        RepositoryOptions.loadAllModels());
  }
}
