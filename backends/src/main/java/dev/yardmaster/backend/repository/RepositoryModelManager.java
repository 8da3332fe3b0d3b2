package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.LoadParameters;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.RunnerFactory;
import dev.yardmaster.backend.SchedulerFactory;
import dev.yardmaster.backend.ServedModel;
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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the models of a Triton-layout repository ({@code repo/<model>/config.pbtxt},
 * {@code repo/<model>/<version>/model.onnx}) in this process.
 *
 * <p>Requests read only an immutable snapshot swapped through an {@link AtomicReference}; loads and
 * unloads of one model are serialized, those of different models run side by side (at start, on
 * {@link RepositoryOptions#loadThreads()} threads, as Triton's {@code --model-load-thread-count}).
 * A reload keeps unchanged versions, opens changed and new
 * ones before swapping them in, then closes the versions it replaced, whose schedulers finish what
 * they had accepted (a request that resolved a replaced version just before the swap fails with
 * UNAVAILABLE {@code ... is not ready: unloaded}; resolving again finds the new one). A model that
 * fails to load is listed as UNAVAILABLE with its reason and never affects the others; a failed
 * reload keeps the versions that were serving.
 */
public final class RepositoryModelManager implements ModelManager {

  private static final Logger log = LoggerFactory.getLogger(RepositoryModelManager.class);
  private static final String UNLOADED = "unloaded";

  private final RepositoryDirectory repository;
  private final RunnerFactory runnerFactory;
  private final VersionOpener opener;
  private final AtomicReference<RepositorySnapshot> snapshot =
      new AtomicReference<>(RepositorySnapshot.EMPTY);
  /** Loads and unloads hold it shared, each model's serialized by its own lock; close holds it alone. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Map<String, Object> modelLocks = new ConcurrentHashMap<>();
  private volatile boolean closed; // written holding the lifecycle's write lock

  /**
   * Scans the repository and loads the models {@code options} name; failures are recorded in the
   * index, never thrown.
   *
   * @throws InferenceException INVALID_ARGUMENT when the repository is not a directory
   */
  public RepositoryModelManager(Path repositoryRoot, RunnerFactory runnerFactory, SchedulerFactory schedulerFactory,
      RepositoryOptions options) {
    this.repository = new RepositoryDirectory(repositoryRoot);
    this.runnerFactory = runnerFactory;
    this.opener = new VersionOpener(runnerFactory, schedulerFactory);
    Collection<String> startup = options.loadAll() ? repositoryModels() : new TreeSet<>(options.startupModels());
    StartupLoader.loadAll(startup, options.loadThreads(), this::load);
  }

  @Override
  public ServedModel resolve(String name, String version) {
    ModelEntry entry = snapshot.get().models().get(name);
    if (entry == null) {
      throw InferenceException.notFound("model '%s' is not found", name);
    }
    if (!entry.isReady()) {
      throw InferenceException.unavailable("model '%s' is not ready: %s", name, entry.reason());
    }
    if (version.isEmpty()) {
      return entry.versions().lastEntry().getValue();
    }
    LocalServedModel served = null;
    try {
      served = entry.versions().get(Long.parseLong(version));
    } catch (NumberFormatException e) {
      // not a version label: not found below
    }
    if (served == null) {
      throw InferenceException.notFound("model '%s' version '%s' is not found", name, version);
    }
    return served;
  }

  @Override
  public boolean isReady(String name, String version) {
    try {
      resolve(name, version);
      return true;
    } catch (InferenceException e) {
      return false;
    }
  }

  @Override
  public List<String> readyVersions(String name) {
    ModelEntry entry = snapshot.get().models().get(name);
    return entry == null ? List.of() : entry.versions().keySet().stream().map(String::valueOf).toList();
  }

  @Override
  public List<ServedModel> readyModels() {
    Map<String, ModelEntry> models = snapshot.get().models();
    List<ServedModel> ready = new ArrayList<>();
    for (String name : new TreeSet<>(models.keySet())) {
      ready.addAll(models.get(name).versions().values());
    }
    return ready;
  }

  /**
   * {@inheritDoc}
   *
   * <p>As Triton's {@code RepositoryIndex}: a model of the repository never asked to load is
   * listed by name only; a model that was is listed per version with its state and reason (READY,
   * LOADING, UNLOADING, or UNAVAILABLE with why: its failure, or {@code unloaded}), a model whose
   * config failed before any version was known as one UNAVAILABLE row without a version.
   */
  @Override
  public List<ModelIndexEntry> index(boolean readyOnly) {
    Map<String, ModelEntry> models = snapshot.get().models();
    TreeSet<String> names = new TreeSet<>(models.keySet());
    names.addAll(repositoryModels());
    List<ModelIndexEntry> rows = new ArrayList<>();
    for (String name : names) {
      ModelEntry entry = models.get(name);
      List<ModelIndexEntry> modelRows = entry == null ? List.of(ModelIndexEntry.nameOnly(name)) : entry.indexRows(name);
      for (ModelIndexEntry row : modelRows) {
        if (!readyOnly || ModelIndexEntry.READY.equals(row.state())) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A version whose config and model file are unchanged ({@link ModelConfigLoader#requiresReload})
   * keeps serving as is, with its stats; changed and new versions are opened before the swap, and
   * versions no longer selected are closed after it.
   */
  @Override
  public void load(String name) {
    load(name, LoadParameters.none());
  }

  /**
   * {@inheritDoc}
   *
   * <p>As Triton, a config override counts as a change: the next load without one reads
   * {@code config.pbtxt} again and reopens the versions.
   */
  @Override
  public void load(String name, LoadParameters parameters) {
    Path modelDirectory = repository.modelDirectory(name);
    lifecycle.readLock().lock();
    try {
      synchronized (modelLock(name)) {
        if (closed) {
          throw InferenceException.unavailable("model '%s' load: manager closed (expected: an open model manager)",
              name);
        }
        loadHolding(name, modelDirectory, parameters);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The load itself, holding the model's lock. */
  private void loadHolding(String name, Path modelDirectory, LoadParameters parameters) {
    ModelEntry previous = snapshot.get().models().get(name);
    boolean serving = previous != null && previous.isReady();
    ModelDefinition definition;
    try {
      definition = ModelConfigLoader.load(modelDirectory, parameters, runnerFactory.gpuAvailable());
    } catch (RuntimeException e) {
      InferenceException failure = failure(name, e);
      if (!serving) {
        publish(name, ModelEntry.unavailable(failure.getMessage()));
      }
      throw failure;
    }
    definition.notes().forEach(note -> log.info("model '{}': {}", name, note));
    ModelEntry before = serving ? previous : ModelEntry.notReady(ModelIndexEntry.LOADING, "loading",
        previous == null ? Collections.emptyNavigableMap() : previous.otherVersions());
    publish(name, before.marking(definition.versions(), VersionState.LOADING));
    boolean sameConfig = serving && !ModelConfigLoader.requiresReload(previous.config(), definition.config());
    NavigableMap<Long, LocalServedModel> versions = new TreeMap<>();
    Map<Long, String> fingerprints = new HashMap<>();
    Map<Long, InferenceException> failures = new TreeMap<>();
    List<LocalServedModel> opened = new ArrayList<>();
    // Every version is tried, as Triton loads them side by side: each failed one shows its reason.
    for (long version : definition.versions()) {
      try {
        String fingerprint = VersionFingerprint.of(definition.requireModelFile(version));
        LocalServedModel current = previous == null ? null : previous.versions().get(version);
        if (sameConfig && current != null && fingerprint.equals(previous.fingerprints().get(version))) {
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
    if (!failures.isEmpty()) {
      opened.forEach(VersionOpener::closeQuietly);
      InferenceException failure = combined(failures.values());
      // As Triton: each failed version shows its reason; those that opened were unloaded again.
      TreeMap<Long, VersionState> states = new TreeMap<>(before.otherVersions());
      for (long version : definition.versions()) {
        states.put(version, failures.containsKey(version)
            ? VersionState.failed(failures.get(version).getMessage()) : VersionState.UNLOADED);
      }
      publish(name, serving ? new ModelEntry(ModelIndexEntry.READY, "", previous.versions(), states,
          previous.config(), previous.fingerprints())
          : ModelEntry.notReady(ModelIndexEntry.UNAVAILABLE, failure.getMessage(), states));
      throw failure;
    }
    // Versions that served and no longer do are unloaded; failed versions keep their reason.
    TreeMap<Long, VersionState> others = new TreeMap<>(before.otherVersions());
    if (previous != null) {
      for (Long version : previous.versions().keySet()) {
        others.put(version, VersionState.UNLOADED);
      }
    }
    publish(name, ModelEntry.ready(versions, others, definition.config(), fingerprints));
    if (previous != null) {
      for (LocalServedModel old : previous.versions().values()) {
        if (!versions.containsValue(old)) {
          VersionOpener.closeQuietly(old);
        }
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A model of the repository that is not loaded is left as it is and the call succeeds, as in
   * Triton; a name the repository does not have is NOT_FOUND (Triton answers OK there too; a typo
   * is worth an error).
   */
  @Override
  public void unload(String name) {
    if (!snapshot.get().models().containsKey(name)) {
      repository.modelDirectory(name); // NOT_FOUND unless the repository has it
    }
    lifecycle.readLock().lock();
    try {
      synchronized (modelLock(name)) {
        unloadHolding(name);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The unload itself, holding the model's lock. */
  private void unloadHolding(String name) {
    ModelEntry previous = snapshot.get().models().get(name);
    if (previous == null) {
      return; // in the repository, not loaded: as Triton, nothing to do
    }
    publish(name, ModelEntry.notReady(ModelIndexEntry.UNLOADING, "unloading", previous.otherVersions())
        .marking(previous.versions().keySet(), VersionState.UNLOADING));
    previous.versions().values().forEach(VersionOpener::closeQuietly);
    TreeSet<Long> known = new TreeSet<>(previous.versions().keySet());
    known.addAll(previous.otherVersions().keySet());
    publish(name, ModelEntry.notReady(ModelIndexEntry.UNAVAILABLE, UNLOADED, Collections.emptyNavigableMap())
        .marking(known, VersionState.UNLOADED));
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RepositorySnapshot last = snapshot.getAndSet(RepositorySnapshot.EMPTY);
      for (ModelEntry entry : last.models().values()) {
        entry.versions().values().forEach(VersionOpener::closeQuietly);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** The repository's model directories (those whose name is a valid model name), sorted. */
  public List<String> repositoryModels() {
    return repository.modelNames();
  }

  /** Swaps in the model's new entry; models loading side by side publish without losing each other's. */
  private void publish(String name, ModelEntry entry) {
    snapshot.updateAndGet(current -> current.with(name, entry));
  }

  /** The lock that serializes the loads and unloads of one model (a valid name of the repository). */
  private Object modelLock(String name) {
    return modelLocks.computeIfAbsent(name, key -> new Object());
  }

  private static InferenceException failure(String name, RuntimeException e) {
    return e instanceof InferenceException inference ? inference
        : InferenceException.internal("model '%s' failed to load: %s", name, e);
  }

  /** The one failure, or all of them, one per line, with the first one's status. */
  private static InferenceException combined(Collection<InferenceException> failures) {
    if (failures.size() == 1) {
      return failures.iterator().next();
    }
    InferenceException first = failures.iterator().next();
    return new InferenceException(first.status(),
        String.join("\n", failures.stream().map(Throwable::getMessage).toList()), first);
  }
}
