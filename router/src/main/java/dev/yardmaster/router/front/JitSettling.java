package dev.yardmaster.router.front;

/**
 * Whether the JIT compiler has settled, from the compilation time of consecutive load windows:
 * settled once {@link #QUIET_WINDOWS} windows in a row spent under {@link #QUIET_SHARE} of their
 * length compiling. The router warm-up alternates its windows between one stream and several, so
 * two quiet windows in a row mean both traffic shapes run compiled code. Reads no clock.
 */
final class JitSettling {

  /** Compilation time per window time under which a window counts as quiet. */
  static final double QUIET_SHARE = 0.02;
  /** Quiet windows in a row that make the JIT settled. */
  static final int QUIET_WINDOWS = 2;

  private int quietInARow;

  /**
   * Records one window; returns whether the JIT has settled.
   *
   * @param compileMillis milliseconds the JIT spent compiling during the window; negative when the
   *     JVM does not say, which counts as quiet (the warm-up then ends on its request count alone)
   * @param windowNanos the window's length
   */
  boolean offer(long compileMillis, long windowNanos) {
    boolean quiet = compileMillis < 0 || compileMillis * 1_000_000.0 < QUIET_SHARE * windowNanos;
    quietInARow = quiet ? quietInARow + 1 : 0;
    return settled();
  }

  boolean settled() {
    return quietInARow >= QUIET_WINDOWS;
  }
}
