package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.backend.repository.RepositorySnapshot.ModelEntry;
import dev.yardmaster.backend.repository.RepositorySnapshot.VersionState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads (or reloads) one model's versions and publishes each state it passes through: LOADING
 * while versions open, then READY with the new versions, or, when any version fails, each
 * version's reason with the serving versions kept. Unchanged versions are reused by config and
 * {@linkplain VersionFingerprint fingerprint} (a changed {@code warmup/} file reopens, and so
 * re-warms, every version); versions it replaced are closed after the swap. The
 * caller holds the model's lock, so one model's loads never overlap.
 */
final class ModelLoader {

  // The repository's log lines keep the manager's name, whichever class writes them.
  private static final Logger log = LoggerFactory.getLogger(RepositoryModelManager.class);

  private final PublishedSnapshot snapshot;
  private final RunnerFactory runnerFactory;
  private final VersionOpener opener;

  ModelLoader(PublishedSnapshot snapshot, RunnerFactory runnerFactory, SchedulerFactory schedulerFactory) {
    this.snapshot = snapshot;
    this.runnerFactory = runnerFactory;
    this.opener = new VersionOpener(runnerFactory, schedulerFactory);
  }

  /**
   * What trying every selected version gave: those that serve, their fingerprints, why others
   * failed, and the in-place updates of kept versions, applied only when none failed.
   */
  private record VersionsTried(NavigableMap<Long, LocalServedModel> versions, Map<Long, String> fingerprints,
      Map<Long, InferenceException> failures, List<LocalServedModel> opened, List<Runnable> updates) {}

  /**
   * Loads model {@code name} from {@code modelDirectory}, holding the model's lock.
   *
   * @throws InferenceException why the config or a version failed; every failed version's reason,
   *     one per line
   */
  void load(String name, Path modelDirectory, LoadParameters parameters) {
    ModelEntry previous = snapshot.entry(name);
    boolean serving = previous != null && previous.isReady();
    ModelDefinition definition;
    try {
      definition = ModelConfigLoader.load(modelDirectory, parameters, runnerFactory.gpuAvailable(),
          runnerFactory.noGpuReason());
    } catch (RuntimeException e) {
      InferenceException failure = failure(name, e);
      if (!serving) {
        snapshot.publish(name, ModelEntry.unavailable(failure.getMessage()));
      }
      throw failure;
    }
    definition.notes().forEach(note -> log.info("model '{}': {}", name, note));
    ModelEntry before = serving ? previous : ModelEntry.notReady(ModelIndexEntry.LOADING, "loading",
        previous == null ? Collections.emptyNavigableMap() : previous.otherVersions());
    snapshot.publish(name, before.marking(definition.versions(), VersionState.LOADING));
    boolean sameConfig = serving && !ModelConfigLoader.requiresReload(previous.config(), definition.config());
    VersionsTried tried = tryVersions(name, definition, previous, sameConfig);
    if (!tried.failures().isEmpty()) {
      throw rollBack(name, definition, previous, serving, before, tried);
    }
    tried.updates().forEach(Runnable::run);
    // Versions that served and no longer do are unloaded; failed versions keep their reason.
    TreeMap<Long, VersionState> others = new TreeMap<>(before.otherVersions());
    if (previous != null) {
      for (Long version : previous.versions().keySet()) {
        others.put(version, VersionState.UNLOADED);
      }
    }
    snapshot.publish(name, ModelEntry.ready(tried.versions(), others, definition.config(), tried.fingerprints()));
    if (previous != null) {
      for (LocalServedModel old : previous.versions().values()) {
        if (!tried.versions().containsValue(old)) {
          VersionOpener.closeQuietly(old);
        }
      }
    }
  }

  /**
   * Opens each selected version, or keeps the serving one when neither its config (but instance
   * groups and version policy, taken in place) nor its files (version directory and {@code
   * warmup/}) changed.
   */
  private VersionsTried tryVersions(String name, ModelDefinition definition, @Nullable ModelEntry previous,
      boolean sameConfig) {
    NavigableMap<Long, LocalServedModel> versions = new TreeMap<>();
    Map<Long, String> fingerprints = new HashMap<>();
    Map<Long, InferenceException> failures = new TreeMap<>();
    List<LocalServedModel> opened = new ArrayList<>();
    List<Runnable> updates = new ArrayList<>();
    // Every version is tried, as Triton loads them side by side: each failed one shows its reason.
    for (long version : definition.versions()) {
      try {
        definition.requireModelFile(version);
        String fingerprint = VersionFingerprint.of(definition.versionDirectory(version),
            definition.directory().resolve(ModelWarmupValidator.WARMUP_DIRECTORY));
        LocalServedModel current = previous == null ? null : previous.versions().get(version);
        if (sameConfig && current != null && fingerprint.equals(previous.fingerprints().get(version))) {
          if (!current.spec().config().equals(definition.config())) {
            updates.add(opener.update(definition, version, current));
          }
          versions.put(version, current);
        } else {
          LocalServedModel model = opener.open(definition, version);
          opened.add(model);
          versions.put(version, model);
        }
        fingerprints.put(version, fingerprint);
      } catch (RuntimeException e) {
        failures.put(version, failure(name, e));
      }
    }
    return new VersionsTried(versions, fingerprints, failures, opened, updates);
  }

  /**
   * Closes the versions this load opened and publishes each version's state, keeping the serving
   * versions of a model that was ready; returns the failure to throw.
   */
  private InferenceException rollBack(String name, ModelDefinition definition, @Nullable ModelEntry previous,
      boolean serving, ModelEntry before, VersionsTried tried) {
    tried.opened().forEach(VersionOpener::closeQuietly);
    Map<Long, InferenceException> failures = tried.failures();
    InferenceException failure = combined(failures.values());
    // As Triton: each failed version shows its reason; those that opened were unloaded again.
    TreeMap<Long, VersionState> states = new TreeMap<>(before.otherVersions());
    for (long version : definition.versions()) {
      states.put(version, failures.containsKey(version)
          ? VersionState.failed(failures.get(version).getMessage()) : VersionState.UNLOADED);
    }
    snapshot.publish(name, serving ? new ModelEntry(ModelIndexEntry.READY, "", previous.versions(), states,
        previous.config(), previous.fingerprints())
        : ModelEntry.notReady(ModelIndexEntry.UNAVAILABLE, failure.getMessage(), states));
    return failure;
  }

  private static InferenceException failure(String name, RuntimeException e) {
    return e instanceof InferenceException inference ? inference
        : InferenceException.internal("model '%s' failed to load: %s", name, e);
  }

  /**
   * The one failure, or all of them, one per line, as INVALID_ARGUMENT whatever failed: Triton's
   * {@code ModelRepositoryManager::LoadUnloadModels} answers every failed load so ("load failed for
   * model ..."), an ONNX Runtime session that did not open or a warmup that did not run included.
   */
  private static InferenceException combined(Collection<InferenceException> failures) {
    InferenceException first = failures.iterator().next();
    return new InferenceException(InferenceException.Status.INVALID_ARGUMENT,
        String.join("\n", failures.stream().map(Throwable::getMessage).toList()), first);
  }
}
