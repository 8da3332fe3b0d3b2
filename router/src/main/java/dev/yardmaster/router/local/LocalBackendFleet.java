package dev.yardmaster.router.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link LocalBackendProcess}es started together (launched at once, then awaited, so
 * their JVMs start in parallel) and stopped together. If any fails to start, those already started
 * are stopped before the failure is thrown.
 */
public final class LocalBackendFleet implements AutoCloseable {

  private final List<LocalBackendProcess> processes;

  private LocalBackendFleet(List<LocalBackendProcess> processes) {
    this.processes = List.copyOf(processes);
  }

  /** The demo fleet: one CPU backend, one emulated A10G GPU, one emulated Inferentia2. */
  public static List<LocalBackend> demo(Path repository) {
    return List.of(LocalBackend.cpu("cpu-0", repository),
        LocalBackend.emulated("gpu-a10g-0", repository, "gpu-a10g"),
        LocalBackend.emulated("inf2-0", repository, "inf2"));
  }

  /** Starts every backend; each must be ready within {@code timeout} of the launch. */
  public static LocalBackendFleet start(List<LocalBackend> backends, Duration timeout) {
    List<LocalBackendProcess> launched = new ArrayList<>();
    try {
      for (LocalBackend backend : backends) {
        launched.add(LocalBackendProcess.launch(backend));
      }
      for (LocalBackendProcess process : launched) {
        process.awaitReady(timeout);
      }
      return new LocalBackendFleet(launched);
    } catch (RuntimeException failure) {
      stopAll(launched);
      throw failure;
    }
  }

  public List<LocalBackendProcess> processes() {
    return processes;
  }

  /** The process started for the backend of that name. */
  public LocalBackendProcess get(String name) {
    for (LocalBackendProcess process : processes) {
      if (process.backend().name().equals(name)) {
        return process;
      }
    }
    throw new IllegalArgumentException("backend: '" + name + "' (expected: one of "
        + processes.stream().map(p -> p.backend().name()).toList() + ")");
  }

  /** Stops every process (SIGTERM to all first, so they drain in parallel). */
  @Override
  public void close() {
    stopAll(processes);
  }

  private static void stopAll(List<LocalBackendProcess> processes) {
    processes.forEach(process -> process.handle().destroy());
    processes.forEach(LocalBackendProcess::stop);
  }
}
