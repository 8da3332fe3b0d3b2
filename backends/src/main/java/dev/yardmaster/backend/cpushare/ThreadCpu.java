package dev.yardmaster.backend.cpushare;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/** The calling thread's CPU time, from the JVM's {@link ThreadMXBean}. */
public final class ThreadCpu {

  private ThreadCpu() {}

  /**
   * {@link ThreadMXBean#getCurrentThreadCpuTime()}.
   *
   * @throws IllegalStateException when this JVM cannot measure thread CPU time
   */
  public static LongSupplier clock() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("cpu_share: this JVM cannot measure thread CPU time (expected: a JVM with "
          + "ThreadMXBean.isCurrentThreadCpuTimeSupported())");
    }
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    return threads::getCurrentThreadCpuTime;
  }
}
