package dev.yardmaster.profiler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ArrivalProcessTest {

  @Test
  void uniformGapsAreExactlyOneOverTheRate() {
    DoubleSupplier gaps = ArrivalProcess.uniform(3).gapsNanos();

    assertThat(gaps.getAsDouble()).isEqualTo(1e9 / 3);
    assertThat(gaps.getAsDouble()).isEqualTo(1e9 / 3);
  }

  @Test
  void poissonGapsAverageOneOverTheRateAndRepeatWithTheSeed() {
    DoubleSupplier gaps = ArrivalProcess.poisson(1000, 42L).gapsNanos();
    DoubleSupplier again = ArrivalProcess.poisson(1000, 42L).gapsNanos();
    double sum = 0;
    double sumOfSquares = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double gap = gaps.getAsDouble();
      assertThat(again.getAsDouble()).isEqualTo(gap);
      assertThat(gap).isPositive();
      sum += gap;
      sumOfSquares += gap * gap;
    }
    double mean = sum / n;
    double deviation = Math.sqrt(sumOfSquares / n - mean * mean);

    assertThat(mean).isCloseTo(1e6, within(1e6 * 0.01));
    // exponential: the standard deviation equals the mean
    assertThat(deviation).isCloseTo(1e6, within(1e6 * 0.02));
  }

  @Test
  void rejectsRatesOutOfBounds() {
    assertThatThrownBy(() -> ArrivalProcess.uniform(0))
        .hasMessage("ratePerSecond: 0.0 (expected: > 0 and <= 1.0E7)");
    assertThatThrownBy(() -> ArrivalProcess.poisson(Double.NaN, 1L))
        .hasMessageStartingWith("ratePerSecond: NaN");
  }
}
