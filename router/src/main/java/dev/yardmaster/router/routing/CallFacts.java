package dev.yardmaster.router.routing;

import org.jspecify.annotations.Nullable;

/**
 * The response facts of one call, filled in as it is admitted, routed and answered, and put on the
 * response as {@code x-yardmaster-tier}, {@code x-yardmaster-pool} and
 * {@code x-yardmaster-model-version}. On a stream the first request's facts are the call's.
 */
public final class CallFacts {

  private volatile @Nullable String tier;
  private volatile @Nullable String pool;
  private volatile @Nullable String modelVersion;

  public @Nullable String tier() {
    return tier;
  }

  public @Nullable String pool() {
    return pool;
  }

  public @Nullable String modelVersion() {
    return modelVersion;
  }

  public void tier(String name) {
    if (tier == null) {
      tier = name;
    }
  }

  public void pool(String name) {
    if (pool == null) {
      pool = name;
    }
  }

  public void modelVersion(String version) {
    if (modelVersion == null && !version.isEmpty()) {
      modelVersion = version;
    }
  }
}
