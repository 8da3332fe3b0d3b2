package dev.yardmaster.router.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stopping the child processes Yardmaster starts (local backends, the hop benchmark's router and
 * nginx): SIGTERM so they drain, SIGKILL of the process and its descendants when the grace runs
 * out, and the same when this JVM exits first, so none is left behind.
 */
public final class ChildProcesses {

  private static final Duration AFTER_KILL = Duration.ofSeconds(5);

  private ChildProcesses() {}

  /**
   * SIGTERM, then SIGKILL of the process and the descendants it had when it has not exited within
   * {@code grace}; an interrupt kills at once and stays set.
   *
   * @return true when the process exited on SIGTERM within the grace
   */
  public static boolean terminate(Process process, Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      kill(process, descendants);
      process.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process, descendants);
    }
    return false;
  }

  /** Terminates the process (with {@code grace}) when this JVM shuts down; {@link #forget} the hook after a normal stop. */
  public static Thread terminateOnExit(Process process, String name, Duration grace) {
    Thread hook = new Thread(() -> terminate(process, grace), name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Removes a hook of {@link #terminateOnExit}; during shutdown it runs anyway and finds the process gone. */
  public static void forget(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private static void kill(Process process, List<ProcessHandle> descendants) {
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
