package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.protocol.v2.ModelConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

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

  /** The state of a version that does not serve, as Triton keeps it per version. */
  record VersionState(String state, String reason) {
    static final VersionState LOADING = new VersionState(ModelIndexEntry.LOADING, "");
    static final VersionState UNLOADING = new VersionState(ModelIndexEntry.UNLOADING, "");
    static final VersionState UNLOADED = new VersionState(ModelIndexEntry.UNAVAILABLE, "unloaded");

    static VersionState failed(String reason) {
      return new VersionState(ModelIndexEntry.UNAVAILABLE, reason);
    }
  }

  /**
   * A model as the snapshot knows it: ready versions, or why there are none (the model's state and
   * reason, as requests see them), and the state of each version that does not serve (loading,
   * failed, unloaded), as Triton lists them in its index. The config and the model files'
   * fingerprints let a reload keep the versions that did not change.
   */
  record ModelEntry(String state, String reason, NavigableMap<Long, LocalServedModel> versions,
      NavigableMap<Long, VersionState> otherVersions, ModelConfig config, Map<Long, String> fingerprints) {

    ModelEntry {
      versions = Collections.unmodifiableNavigableMap(new TreeMap<>(versions));
      TreeMap<Long, VersionState> others = new TreeMap<>(otherVersions);
      others.keySet().removeAll(versions.keySet());
      otherVersions = Collections.unmodifiableNavigableMap(others);
      fingerprints = Map.copyOf(fingerprints);
    }

    static ModelEntry ready(NavigableMap<Long, LocalServedModel> versions, NavigableMap<Long, VersionState> others,
        ModelConfig config, Map<Long, String> fingerprints) {
      return new ModelEntry(ModelIndexEntry.READY, "", versions, others, config, fingerprints);
    }

    /** Not serving, with no version known (its config failed, say). */
    static ModelEntry unavailable(String reason) {
      return notReady(ModelIndexEntry.UNAVAILABLE, reason, Collections.emptyNavigableMap());
    }

    /** LOADING, UNLOADING or UNAVAILABLE, with the reason shown in errors, and its versions' states. */
    static ModelEntry notReady(String state, String reason, NavigableMap<Long, VersionState> others) {
      return new ModelEntry(state, reason, Collections.emptyNavigableMap(), others, ModelConfig.getDefaultInstance(),
          Map.of());
    }

    boolean isReady() {
      return !versions.isEmpty();
    }

    /** This entry with {@code versions} marked as {@code state}, unless they serve. */
    ModelEntry marking(Collection<Long> marked, VersionState state) {
      TreeMap<Long, VersionState> others = new TreeMap<>(otherVersions);
      for (Long version : marked) {
        others.put(version, state);
      }
      return new ModelEntry(this.state, reason, versions, others, config, fingerprints);
    }

    /**
     * Triton's index rows of this model: one per version, ascending, serving versions READY; a
     * model with no version known gets one row without a version, carrying its state and reason.
     */
    List<ModelIndexEntry> indexRows(String name) {
      TreeSet<Long> all = new TreeSet<>(versions.keySet());
      all.addAll(otherVersions.keySet());
      List<ModelIndexEntry> rows = new ArrayList<>();
      if (all.isEmpty()) {
        rows.add(new ModelIndexEntry(name, "", state, reason));
      }
      for (Long version : all) {
        VersionState other = otherVersions.get(version);
        rows.add(other == null ? new ModelIndexEntry(name, version.toString(), ModelIndexEntry.READY, "")
            : new ModelIndexEntry(name, version.toString(), other.state(), other.reason()));
      }
      return rows;
    }
  }
}
