package dev.yardmaster.backend.repository;

import dev.yardmaster.backend.InferenceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the models of a {@link RepositoryModelManager} at start several at a time, as Triton's
 * {@code --model-load-thread-count}, on a thread pool that lives only as long as the start.
 */
final class StartupLoader {

  // The repository's log lines keep the manager's name, whichever class writes them.
  private static final Logger log = LoggerFactory.getLogger(RepositoryModelManager.class);

  private StartupLoader() {}

  /**
   * Loads the models on up to {@code threads} threads at once, as Triton does, and returns when all
   * have loaded or failed; a failure is logged and listed in the index, never thrown.
   *
   * @param load loads one model, throwing {@link InferenceException} when it fails
   */
  static void loadAll(Collection<String> names, int threads, Consumer<String> load) {
    if (names.isEmpty()) {
      return;
    }
    ExecutorService loaders = Executors.newFixedThreadPool(Math.min(threads, names.size()), task -> {
      Thread thread = new Thread(task, "yardmaster-model-load");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> loads = new ArrayList<>();
      for (String name : names) {
        loads.add(loaders.submit(() -> loadLogged(name, load)));
      }
      for (Future<?> pending : loads) {
        awaitLoad(pending);
      }
    } finally {
      loaders.shutdownNow();
    }
  }

  private static void loadLogged(String name, Consumer<String> load) {
    try {
      load.accept(name);
    } catch (InferenceException e) {
      log.warn("model '{}' failed to load: {}", name, e.getMessage());
    }
  }

  private static void awaitLoad(Future<?> load) {
    try {
      load.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException unexpected) {
        throw unexpected;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceException.unavailable("model repository: interrupted while loading (expected: to finish)");
    }
  }
}
