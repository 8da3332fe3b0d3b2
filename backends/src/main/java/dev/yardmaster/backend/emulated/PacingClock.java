package dev.yardmaster.backend.emulated;

/** The time an emulated device paces on: a nanosecond clock and a way to wait on it. */
public interface PacingClock {

  /** Now, in nanoseconds on an arbitrary origin (as {@link System#nanoTime()}). */
  long nanoTime();

  /** Waits about {@code nanos} nanoseconds; never less. */
  void sleepNanos(long nanos) throws InterruptedException;

  /** The wall clock: {@link System#nanoTime()} and {@link Thread#sleep}, finished by parking. */
  static PacingClock system() {
    return SystemPacingClock.INSTANCE;
  }
}
