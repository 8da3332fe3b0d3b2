package dev.yardmaster.backend;

/**
 * One row of the repository index, as Triton's {@code RepositoryIndex} lists them: one per version
 * of a model that was asked to load, and a row with the name only for a model that never was.
 *
 * @param name model name
 * @param version version label, "" for a name-only row or a model with no version known
 * @param state Triton's state names: READY, UNAVAILABLE, LOADING, UNLOADING; "" for a name-only row
 * @param reason why the version is not ready (its failure, or {@code unloaded}), "" otherwise
 */
public record ModelIndexEntry(String name, String version, String state, String reason) {
  public static final String READY = "READY";
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String LOADING = "LOADING";
  public static final String UNLOADING = "UNLOADING";

  /** The row of a model of the repository that was never asked to load. */
  public static ModelIndexEntry nameOnly(String name) {
    return new ModelIndexEntry(name, "", "", "");
  }

  /** Whether this row lists a model that was never asked to load. */
  public boolean isNameOnly() {
    return state.isEmpty();
  }
}
