package dev.yardmaster.backend.emulated;

import java.util.concurrent.locks.LockSupport;

/** {@link PacingClock#system()}: sleeps in whole milliseconds, parks for the sub-millisecond rest. */
final class SystemPacingClock implements PacingClock {
  static final SystemPacingClock INSTANCE = new SystemPacingClock();

  private SystemPacingClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void sleepNanos(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      if (Thread.interrupted()) {
        throw new InterruptedException("pacing sleep interrupted");
      }
      if (left > 2_000_000) {
        Thread.sleep((left - 1_000_000) / 1_000_000);
      } else {
        LockSupport.parkNanos(left);
      }
    }
  }
}
