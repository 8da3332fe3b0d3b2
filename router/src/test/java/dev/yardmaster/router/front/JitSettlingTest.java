package dev.yardmaster.router.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JitSettlingTest {

  private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(500);

  @Test
  void settlesAfterTwoQuietWindowsInARow() {
    JitSettling settling = new JitSettling();
    assertThat(settling.offer(9, WINDOW)).isFalse(); // 1.8% of the window: quiet
    assertThat(settling.offer(0, WINDOW)).isTrue();
  }

  @Test
  void aBusyWindowStartsTheCountAgain() {
    JitSettling settling = new JitSettling();
    assertThat(settling.offer(0, WINDOW)).isFalse();
    assertThat(settling.offer(10, WINDOW)).isFalse(); // 2%: still compiling
    assertThat(settling.offer(0, WINDOW)).isFalse();
    assertThat(settling.offer(3, WINDOW)).isTrue();
  }

  @Test
  void aJvmThatDoesNotTimeItsCompilerCountsAsQuiet() {
    JitSettling settling = new JitSettling();
    settling.offer(-1, WINDOW);
    assertThat(settling.offer(-1, WINDOW)).isTrue();
  }
}
