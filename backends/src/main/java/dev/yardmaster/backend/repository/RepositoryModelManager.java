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
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Serves the models of a Triton-layout repository ({@code repo/<model>/config.pbtxt},
 * {@code repo/<model>/<version>/model.onnx}) in this process.
 *
 * <p>Requests read only an immutable snapshot ({@link PublishedSnapshot}); loads and unloads of one
 * model are serialized, those of different models run side by side (at start, on
 * {@link RepositoryOptions#loadThreads()} threads, as Triton's {@code --model-load-thread-count}).
 * A reload ({@link ModelLoader}) keeps unchanged versions, opens changed and new ones before
 * swapping them in, then closes the versions it replaced, whose schedulers finish what
 * they had accepted (a request that resolved a replaced version just before the swap fails with
 * UNAVAILABLE {@code ... is not ready: unloaded}; resolving again finds the new one). A model that
 * fails to load is listed as UNAVAILABLE with its reason and never affects the others; a failed
 * reload keeps the versions that were serving.
 */
public final class RepositoryModelManager implements ModelManager {

  private static final String UNLOADED = "unloaded";

  private final RepositoryDirectory repository;
  private final PublishedSnapshot snapshot = new PublishedSnapshot();
  private final ModelLoader loader;
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
    this.loader = new ModelLoader(snapshot, runnerFactory, schedulerFactory);
    Collection<String> startup = options.loadAll() ? repositoryModels() : new TreeSet<>(options.startupModels());
    StartupLoader.loadAll(startup, options.loadThreads(), this::load);
  }

  @Override
  public ServedModel resolve(String name, String version) {
    ModelEntry entry = snapshot.entry(name);
    if (entry == null) {
      throw InferenceException.notFound("model '%s' is not found", name);
    }
    if (!entry.isReady() && version.isEmpty()) {
      // Triton's ModelLifeCycle::GetModel: no ready version to take is NOT_FOUND, not UNAVAILABLE
      throw InferenceException.notFound("model '%s' %s: %s", name, NO_AVAILABLE_VERSIONS, entry.reason());
    }
    if (!entry.isReady()) {
      throw InferenceException.unavailable("model '%s' is not ready: %s", name, entry.reason());
    }
    if (version.isEmpty()) {
      return entry.versions().lastEntry().getValue();
    }
    LocalServedModel served = null;
    VersionState known = null;
    try {
      long number = Long.parseLong(version);
      served = entry.versions().get(number);
      known = entry.otherVersions().get(number);
    } catch (NumberFormatException e) {
      // not a version label: not found below
    }
    if (served == null && known != null) {
      // As Triton's ModelLifeCycle::GetModel: a version the model knows (unloaded, failed, loading)
      // is UNAVAILABLE "is not at ready state"; only a version it never had is NOT_FOUND.
      throw InferenceException.unavailable("model '%s' version %s is not ready: %s", name, version,
          known.reason().isEmpty() ? known.state() : known.reason());
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
    ModelEntry entry = snapshot.entry(name);
    return entry == null ? List.of() : entry.versions().keySet().stream().map(String::valueOf).toList();
  }

  @Override
  public List<ServedModel> readyModels() {
    Map<String, ModelEntry> models = snapshot.models();
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
    Map<String, ModelEntry> models = snapshot.models();
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
   * keeps serving, with its runner and stats, taking a new instance_group in place (as Triton, no
   * request fails and the load waits for none); changed and new versions are opened before the
   * swap, and versions no longer selected are closed after it.
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
        loader.load(name, modelDirectory, parameters);
      }
    } finally {
      lifecycle.readLock().unlock();
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
    if (!snapshot.models().containsKey(name)) {
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
    ModelEntry previous = snapshot.entry(name);
    if (previous == null) {
      return; // in the repository, not loaded: as Triton, nothing to do
    }
    snapshot.publish(name, ModelEntry.notReady(ModelIndexEntry.UNLOADING, "unloading", previous.otherVersions())
        .marking(previous.versions().keySet(), VersionState.UNLOADING));
    previous.versions().values().forEach(VersionOpener::closeQuietly);
    TreeSet<Long> known = new TreeSet<>(previous.versions().keySet());
    known.addAll(previous.otherVersions().keySet());
    snapshot.publish(name, ModelEntry.notReady(ModelIndexEntry.UNAVAILABLE, UNLOADED, Collections.emptyNavigableMap())
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
      RepositorySnapshot last = snapshot.clear();
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

  /** The lock that serializes the loads and unloads of one model (a valid name of the repository). */
  private Object modelLock(String name) {
    return modelLocks.computeIfAbsent(name, key -> new Object());
  }
}
