package dev.yardmaster.router.front.hop;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time of a process and its descendants (nginx's workers), read from the OS: what a proxy costs
 * per request, which stays meaningful on a shared box where its latency does not.
 */
final class ProcessCpu {

  private ProcessCpu() {}

  /** Total CPU nanoseconds of {@code process} and its descendants; -1 when the OS does not report it. */
  static long nanos(ProcessHandle process) {
    Optional<Duration> own = process.info().totalCpuDuration();
    if (own.isEmpty()) {
      return -1;
    }
    long total = own.get().toNanos();
    for (ProcessHandle child : process.descendants().toList()) {
      total += child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }
}
