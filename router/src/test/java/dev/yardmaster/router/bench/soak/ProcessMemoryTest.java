package dev.yardmaster.router.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

  @Test
  void parsesResidentAndPeakFromStatusLines() {
    assertThat(ProcessMemory.parse(List.of("Name:\tjava", "VmHWM:\t  524288 kB", "VmRSS:\t  262144 kB",
        "Threads:\t42")))
        .contains(new ProcessMemory(256L << 20, 512L << 20));
  }

  @Test
  void statusWithoutTheLinesIsEmpty() {
    assertThat(ProcessMemory.parse(List.of("Name:\tkthreadd", "State:\tS (sleeping)"))).isEmpty();
    assertThat(ProcessMemory.parse(List.of("VmRSS:\t  1024 kB"))).as("no VmHWM").isEmpty();
  }

  @Test
  void aLineInAnotherUnitIsRefusedByName() {
    assertThatThrownBy(() -> ProcessMemory.parse(List.of("VmRSS:\t 12 MB", "VmHWM:\t 12 kB")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VmRSS:");
  }

  @Test
  void readsThisProcessOnLinuxAndNothingForAnExitedOne() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc: not Linux");
    ProcessMemory self = ProcessMemory.read(ProcessHandle.current().pid()).orElseThrow();
    assertThat(self.rssBytes()).isPositive();
    assertThat(self.peakRssBytes()).isGreaterThanOrEqualTo(self.rssBytes());

    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    assertThat(ProcessMemory.read(exited.pid())).isEmpty();
  }
}
