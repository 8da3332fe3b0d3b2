package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.repository.RepositorySnapshot.ModelEntry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The {@link RepositorySnapshot} that requests read, swapped atomically: reads take the current
 * one without a lock; a load or unload publishes a model's new entry with a compare-and-set.
 */
final class PublishedSnapshot {

  private final AtomicReference<RepositorySnapshot> snapshot = new AtomicReference<>(RepositorySnapshot.EMPTY);

  /** Every known model of the current snapshot, by name. */
  Map<String, ModelEntry> models() {
    return snapshot.get().models();
  }

  /** The model's entry in the current snapshot; null when it was never asked to load. */
  @Nullable ModelEntry entry(String name) {
    return snapshot.get().models().get(name);
  }

  /** Swaps in the model's new entry; models loading side by side publish without losing each other's. */
  void publish(String name, ModelEntry entry) {
    snapshot.updateAndGet(current -> current.with(name, entry));
  }

  /** Publishes the empty snapshot and returns the one it replaced, whose versions are the caller's to close. */
  RepositorySnapshot clear() {
    return snapshot.getAndSet(RepositorySnapshot.EMPTY);
  }
}
