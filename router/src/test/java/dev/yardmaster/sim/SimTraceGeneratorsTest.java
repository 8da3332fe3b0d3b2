package dev.yardmaster.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimTraceGeneratorsTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void poissonHitsItsRateAndTierMix() {
    Trace trace = TraceGenerators.poisson(1000, 20 * SECOND, TierMix.DEFAULT, RowRange.ONE, 7);
    assertThat(trace.size()).isBetween(19_400, 20_600); // 20,000 +- 3%
    long[] byTier = trace.requestsByTier(3);
    assertThat(byTier[0] / (double) trace.size()).isBetween(0.19, 0.21);
    assertThat(byTier[1] / (double) trace.size()).isBetween(0.29, 0.31);
    assertThat(byTier[2] / (double) trace.size()).isBetween(0.49, 0.51);
    assertThat(trace.totalRows()).isEqualTo(trace.size());
  }

  @Test
  void sameSeedSameTraceOtherSeedOtherTrace() {
    Trace a = TraceGenerators.poisson(500, SECOND, TierMix.DEFAULT, new RowRange(1, 8), 1);
    Trace b = TraceGenerators.poisson(500, SECOND, TierMix.DEFAULT, new RowRange(1, 8), 1);
    Trace c = TraceGenerators.poisson(500, SECOND, TierMix.DEFAULT, new RowRange(1, 8), 2);
    assertThat(b.size()).isEqualTo(a.size());
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.atNanos(i)).isEqualTo(a.atNanos(i));
      assertThat(b.tier(i)).isEqualTo(a.tier(i));
      assertThat(b.rows(i)).isEqualTo(a.rows(i)).isBetween(1, 8);
    }
    assertThat(c.atNanos(0)).isNotEqualTo(a.atNanos(0));
  }

  @Test
  void diurnalPeaksAtNoon() {
    Trace trace = TraceGenerators.diurnal(200, 2000, 24 * SECOND, TierMix.DEFAULT, RowRange.ONE, 3);
    double[] perSecond = trace.rowsPerSecond(SECOND);
    // the raised cosine's average over the first second is ~201, over seconds 11-13 ~1,990
    assertThat(perSecond[0]).isBetween(150.0, 260.0);
    assertThat((perSecond[11] + perSecond[12]) / 2).isBetween(1850.0, 2130.0);
    // mean rate (200 + 2000) / 2 = 1,100 req/s over 24 s
    assertThat(trace.size()).isBetween(25_600, 27_200);
  }

  @Test
  void burstyAlternatesOffAndOn() {
    Trace trace = TraceGenerators.bursty(100, 3000, SECOND, SECOND, 10 * SECOND,
        TierMix.DEFAULT, RowRange.ONE, 5);
    double[] perSecond = trace.rowsPerSecond(SECOND);
    for (int s = 0; s < 10; s++) {
      if (s % 2 == 0) {
        assertThat(perSecond[s]).as("off second %d", s).isBetween(60.0, 140.0);
      } else {
        assertThat(perSecond[s]).as("on second %d", s).isBetween(2800.0, 3200.0);
      }
    }
  }

  @Test
  void rejectsOddArgumentsWithTheGrammar() {
    assertThatThrownBy(() -> TraceGenerators.poisson(0, SECOND, TierMix.DEFAULT, RowRange.ONE, 1))
        .hasMessage("rate: 0.0 (expected: > 0 and finite)");
    assertThatThrownBy(() -> new TierMix(List.of(0.5, 0.6)))
        .hasMessage("tier shares: [0.5, 0.6] (expected: summing to 1)");
    assertThatThrownBy(() -> RowRange.parse("x"))
        .hasMessage("rows: \"x\" (expected: N or MIN-MAX)");
    assertThat(TierMix.parse("20/30/50")).isEqualTo(TierMix.DEFAULT);
  }

  @Test
  void slicesShiftToZero() {
    Trace trace = new Trace("t", 10, new long[] {1, 4, 5, 9}, new byte[4], new int[] {1, 2, 3, 4});
    Trace slice = trace.slice(4, 9);
    assertThat(slice.size()).isEqualTo(2);
    assertThat(slice.atNanos(0)).isZero();
    assertThat(slice.atNanos(1)).isEqualTo(1);
    assertThat(slice.rows(1)).isEqualTo(3);
    assertThat(slice.durationNanos()).isEqualTo(5);
  }
}
