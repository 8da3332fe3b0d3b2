package dev.yardmaster.router.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** CPU time this JVM process has used, all threads, when the platform reports it. */
final class ProcessCpuTime {

  private ProcessCpuTime() {}

  /** Nanoseconds of CPU used so far; -1 when this JVM cannot tell. */
  static long nanos() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU microseconds per request between two readings; NaN when either is unknown or nothing completed. */
  static double microsPerRequest(long startNanos, long endNanos, long requests) {
    if (startNanos < 0 || endNanos < 0 || requests <= 0) {
      return Double.NaN;
    }
    return (endNanos - startNanos) / 1e3 / requests;
  }
}
