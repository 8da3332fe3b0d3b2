package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pins a real process tree (a shell and its child) and reads the kernel's answer back. */
class CpuAffinityTest {

  @Test
  void pinsAProcessAndItsDescendantsThenReleasesThem() throws Exception {
    Optional<CpuAffinity> affinity = CpuAffinity.find();
    assumeThat(affinity).as("Linux with taskset").isPresent();
    String all = CpuAffinity.allowed(ProcessHandle.current().pid());
    List<Integer> cpus = CpuAffinity.parse(all);
    assumeThat(cpus).as("CPUs this process may use").hasSizeGreaterThanOrEqualTo(2);
    Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
    try {
      ProcessHandle child = awaitChild(shell.toHandle());
      String last = Integer.toString(cpus.get(cpus.size() - 1));

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

  @Test
  void readsAndWritesKernelCpuLists() {
    assertThat(CpuAffinity.parse("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
    assertThat(CpuAffinity.parse(" 5 ")).containsExactly(5);
    assertThat(CpuAffinity.format(List.of(0, 1, 2, 3, 8, 10, 11))).isEqualTo("0-3,8,10-11");
    assertThat(CpuAffinity.format(List.of(2, 3))).isEqualTo("2-3");
    assertThat(CpuAffinity.format(List.of(7))).isEqualTo("7");
    assertThatThrownBy(() -> CpuAffinity.parse("0-x")).hasMessage("CPU list: '0-x' (expected: e.g. 0-3,8,10-11)");
    assertThatThrownBy(() -> CpuAffinity.parse("3-1")).hasMessageContaining("CPU list: '3-1'");
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
