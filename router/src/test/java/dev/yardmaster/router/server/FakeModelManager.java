package dev.yardmaster.router.server;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ModelManager;
import dev.yardmaster.backend.ServedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory model manager for adapter tests: a fixed repository of fake models; load and
 * unload move them in and out of the ready set. Does the simple checks only.
 */
final class FakeModelManager implements ModelManager {

  private final Map<String, List<FakeModel>> repository = new ConcurrentHashMap<>();
  private final Map<String, Map<String, FakeModel>> ready = new ConcurrentHashMap<>();
  private final Map<String, String> unloaded = new ConcurrentHashMap<>();
  volatile boolean closed;

  /** add_sub v1, echo v1 and v2, slow v1, faulty v1 (fails asynchronously) and v2 (throws). */
  static FakeModelManager standard() {
    FakeModelManager manager = new FakeModelManager();
    manager.add(FakeModel.addSub("1"));
    manager.add(FakeModel.echo("echo", "1"), FakeModel.echo("echo", "2"));
    manager.add(FakeModel.echo("slow", "1"));
    manager.add(FakeModel.faulty("1"), FakeModel.faulty("2").throwingSynchronously());
    return manager;
  }

  void add(FakeModel... versions) {
    String name = versions[0].spec().name();
    repository.put(name, List.of(versions));
    load(name);
  }

  FakeModel model(String name, String version) {
    return ready.get(name).get(version);
  }

  @Override
  public ServedModel resolve(String name, String version) {
    if (!repository.containsKey(name)) {
      throw InferenceException.notFound("model '%s': unknown (expected: one of %s)", name,
          new TreeMap<>(repository).keySet());
    }
    Map<String, FakeModel> versions = ready.get(name);
    if (versions == null || versions.isEmpty()) {
      throw InferenceException.unavailable("model '%s': not ready (expected: a loaded model)", name);
    }
    if (version.isEmpty()) {
      return versions.get(readyVersions(name).get(versions.size() - 1));
    }
    FakeModel model = versions.get(version);
    if (model == null) {
      throw InferenceException.notFound("model '%s' version: %s (expected: one of %s)", name, version,
          readyVersions(name));
    }
    return model;
  }

  @Override
  public boolean isReady(String name, String version) {
    Map<String, FakeModel> versions = ready.get(name);
    return versions != null && (version.isEmpty() ? !versions.isEmpty() : versions.containsKey(version));
  }

  @Override
  public List<String> readyVersions(String name) {
    Map<String, FakeModel> versions = ready.get(name);
    if (versions == null) {
      return List.of();
    }
    List<String> labels = new ArrayList<>(versions.keySet());
    labels.sort(Comparator.comparingLong(Long::parseLong));
    return labels;
  }

  @Override
  public List<ServedModel> readyModels() {
    List<ServedModel> models = new ArrayList<>();
    for (String name : new TreeMap<>(ready).keySet()) {
      for (String version : readyVersions(name)) {
        models.add(ready.get(name).get(version));
      }
    }
    return models;
  }

  @Override
  public List<ModelIndexEntry> index(boolean readyOnly) {
    List<ModelIndexEntry> entries = new ArrayList<>();
    for (String name : new TreeMap<>(repository).keySet()) {
      List<String> versions = readyVersions(name);
      for (String version : versions) {
        entries.add(new ModelIndexEntry(name, version, ModelIndexEntry.READY, ""));
      }
      if (versions.isEmpty() && !readyOnly) {
        entries.add(new ModelIndexEntry(name, "", ModelIndexEntry.UNAVAILABLE, unloaded.getOrDefault(name, "")));
      }
    }
    return entries;
  }

  @Override
  public void load(String name) {
    List<FakeModel> versions = repository.get(name);
    if (versions == null) {
      throw InferenceException.notFound("model '%s': not in the repository (expected: one of %s)", name,
          new TreeMap<>(repository).keySet());
    }
    Map<String, FakeModel> byVersion = new ConcurrentHashMap<>();
    for (FakeModel model : versions) {
      byVersion.put(model.spec().version(), model);
    }
    ready.put(name, byVersion);
    unloaded.remove(name);
  }

  @Override
  public void unload(String name) {
    if (!repository.containsKey(name)) {
      throw InferenceException.notFound("model '%s': not in the repository (expected: one of %s)", name,
          new TreeMap<>(repository).keySet());
    }
    ready.remove(name);
    unloaded.put(name, "unloaded");
  }

  @Override
  public void close() {
    closed = true;
    ready.clear();
  }
}
