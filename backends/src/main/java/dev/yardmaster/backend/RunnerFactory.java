package dev.yardmaster.backend;

import java.nio.file.Path;

/** Opens the runtime for one model version (e.g. an ONNX Runtime session). */
@FunctionalInterface
public interface RunnerFactory {

  /**
   * @param spec the normalized spec of the version
   * @param modelFile the version's model file, e.g. {@code repo/m/1/model.onnx}
   * @throws InferenceException with the reason when the model cannot be opened
   */
  ModelRunner open(ModelSpec spec, Path modelFile);

  /**
   * Whether runners this factory opens can run on a GPU, so that an instance group of
   * {@code KIND_GPU} can load and {@code KIND_AUTO} means the GPU. False unless a factory says so.
   */
  default boolean gpuAvailable() {
    return false;
  }

  /** Why {@link #gpuAvailable()} is false, for the error of a {@code KIND_GPU} load. */
  default String noGpuReason() {
    return NO_GPUS;
  }

  /** The reason of a factory that never runs on a GPU. */
  String NO_GPUS = "no GPUs are available to this server";
}
