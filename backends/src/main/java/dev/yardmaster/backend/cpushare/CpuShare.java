package dev.yardmaster.backend.cpushare;

/**
 * The share of one host core each model instance computes on: an execution that used {@code c}
 * nanoseconds of CPU returns no earlier than {@code c / share} after it started, as it would on a
 * core {@code 1 / share} times slower (or in a container held to that share of a core per
 * instance). The rest of the time the instance waits without using the CPU.
 *
 * @param share in (0, 1]; 1 is the whole core (no limit)
 */
public record CpuShare(double share) {

  /** No limit: executions return as soon as they are done. */
  public static final CpuShare WHOLE_CORE = new CpuShare(1);

  public CpuShare {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("cpu_share: " + share + " (expected: > 0 and <= 1)");
    }
  }

  public boolean limits() {
    return share < 1;
  }

  /** Wall time an execution that used {@code cpuNanos} of CPU takes at least. */
  public long minimumWallNanos(long cpuNanos) {
    return cpuNanos <= 0 ? 0 : (long) Math.ceil(cpuNanos / share);
  }
}
