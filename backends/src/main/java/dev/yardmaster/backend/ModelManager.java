package dev.yardmaster.backend;

import java.util.List;

/**
 * The models a server can serve: resolves a (name, version) to a ready model, lists the
 * repository and loads or unloads models at runtime. A model that fails to load is reported in
 * the index with its reason; it never stops the others.
 */
public interface ModelManager extends AutoCloseable {

  /**
   * What {@link #resolve} says, as Triton's {@code ModelLifeCycle::GetModel}, of a model it knows
   * (unloaded, loading, failed to load) asked for without a version when no version of it is ready.
   */
  String NO_AVAILABLE_VERSIONS = "has no available versions";

  /**
   * The ready model version for a request.
   *
   * @param version "" for the version the version policy prefers (the highest ready one)
   * @throws InferenceException NOT_FOUND for an unknown model or version, and for a known model
   *     without a ready version asked for without a version ({@link #NO_AVAILABLE_VERSIONS});
   *     UNAVAILABLE for a known version that is not ready
   */
  ServedModel resolve(String name, String version);

  /** Whether that model version (or, with "", any version) is ready. */
  boolean isReady(String name, String version);

  /** Labels of the ready versions of a model, ascending; empty when none. */
  List<String> readyVersions(String name);

  /** Every ready model version. */
  List<ServedModel> readyModels();

  /** Every model of the repository with its state; {@code readyOnly} keeps the ready ones. */
  List<ModelIndexEntry> index(boolean readyOnly);

  /**
   * Loads or reloads a model from the repository.
   *
   * @throws InferenceException NOT_FOUND when the repository has no such model, INVALID_ARGUMENT
   *     or INTERNAL (with the reason) when it fails to load
   */
  void load(String name);

  /**
   * Loads or reloads a model with Triton's load parameters; a config override replaces the
   * repository's {@code config.pbtxt} for this load only. Managers without a repository config
   * refuse an override.
   *
   * @throws InferenceException UNIMPLEMENTED for an override this manager cannot apply, else as
   *     {@link #load(String)}
   */
  default void load(String name, LoadParameters parameters) {
    if (parameters.configJson() != null) {
      throw InferenceException.unimplemented("model '%s' load parameter 'config': not supported by this model "
          + "manager (expected: a model repository)", name);
    }
    load(name);
  }

  /** Unloads every version of a model; in-flight requests finish first. */
  void unload(String name);

  /** Unloads everything after in-flight requests finish. */
  @Override
  void close();
}
