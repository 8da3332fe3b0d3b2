package dev.yardmaster.backend;

/**
 * One row of the repository index.
 *
 * @param name model name
 * @param version version label, "" when the model has no loaded version
 * @param state Triton's state names: READY, UNAVAILABLE, LOADING, UNLOADING
 * @param reason why the model is not ready, "" when it is
 */
public record ModelIndexEntry(String name, String version, String state, String reason) {
  public static final String READY = "READY";
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String LOADING = "LOADING";
  public static final String UNLOADING = "UNLOADING";
}
