package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;

/**
 * What {@link RepositoryModelManager} serves at one instant: every known model by name. Never
 * mutated once published; a load or unload publishes a new one.
 */
record RepositorySnapshot(Map<String, RepositorySnapshot.ModelEntry> models) {

  static final RepositorySnapshot EMPTY = new RepositorySnapshot(Map.of());

  RepositorySnapshot with(String name, ModelEntry entry) {
    Map<String, ModelEntry> copy = new HashMap<>(models);
    copy.put(name, entry);
    return new RepositorySnapshot(Map.copyOf(copy));
  }

  /**
   * A model as the snapshot knows it: ready versions, or why there are none. The config and the
   * model files' fingerprints let a reload keep the versions that did not change.
   */
  record ModelEntry(String state, String reason, NavigableMap<Long, LocalServedModel> versions,
      ModelConfig config, Map<Long, String> fingerprints) {
    static ModelEntry ready(NavigableMap<Long, LocalServedModel> versions, ModelConfig config,
        Map<Long, String> fingerprints) {
      return new ModelEntry(ModelIndexEntry.READY, "", Collections.unmodifiableNavigableMap(versions), config,
          Map.copyOf(fingerprints));
    }

    static ModelEntry unavailable(String reason) {
      return notReady(ModelIndexEntry.UNAVAILABLE, reason);
    }

    /** LOADING, UNLOADING or UNAVAILABLE, with the reason shown in the index and errors. */
    static ModelEntry notReady(String state, String reason) {
      return new ModelEntry(state, reason, Collections.emptyNavigableMap(), ModelConfig.getDefaultInstance(), Map.of());
    }

    boolean isReady() {
      return !versions.isEmpty();
    }
  }
}
