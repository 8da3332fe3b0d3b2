package dev.yardmaster.backend;

import org.jspecify.annotations.Nullable;

/**
 * What a repository load request asks besides the model name, as Triton's load parameters.
 *
 * @param configJson a model config in protobuf JSON that replaces {@code config.pbtxt} for this
 *     load, or null to read the repository's
 */
public record LoadParameters(@Nullable String configJson) {

  private static final LoadParameters NONE = new LoadParameters(null);

  /** A plain load: the repository's config. */
  public static LoadParameters none() {
    return NONE;
  }

  /** A load whose config is {@code configJson} instead of the repository's. */
  public static LoadParameters withConfig(String configJson) {
    return new LoadParameters(configJson);
  }
}
