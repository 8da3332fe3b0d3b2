package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pins a real process tree (a shell and its child) and reads the kernel's answer back. */
class CpuAffinityTest {

  @Test
  void pinsAProcessAndItsDescendantsThenReleasesThem() throws Exception {
    Optional<CpuAffinity> affinity = CpuAffinity.find();
    assumeThat(affinity).as("Linux with taskset").isPresent();
    int cores = Runtime.getRuntime().availableProcessors();
    assumeThat(cores).as("cores").isGreaterThanOrEqualTo(2);
    String all = CpuAffinity.allowed(ProcessHandle.current().pid());
    Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
    try {
      ProcessHandle child = awaitChild(shell.toHandle());
      String last = Integer.toString(cores - 1);

      affinity.get().pin(shell.toHandle(), last);
      assertThat(CpuAffinity.allowed(shell.pid())).isEqualTo(last);
      assertThat(CpuAffinity.allowed(child.pid())).isEqualTo(last);

      affinity.get().pin(shell.toHandle(), all);
      assertThat(CpuAffinity.allowed(child.pid())).isEqualTo(all);
    } finally {
      shell.toHandle().descendants().forEach(ProcessHandle::destroy);
      shell.destroy();
      shell.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static ProcessHandle awaitChild(ProcessHandle parent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> child = parent.children().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no child of " + parent.pid() + " within 5 s");
  }
}
