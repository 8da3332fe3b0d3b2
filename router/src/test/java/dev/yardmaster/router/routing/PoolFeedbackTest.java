package dev.yardmaster.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoolFeedbackTest {

  @Test
  void aProfileThatIsTooOptimisticIsCorrectedWithinAFewIdleAnswers() {
    PoolFeedback feedback = new PoolFeedback();
    // the profile says 5 ms, the pool takes 30 ms
    for (int i = 0; i < 15; i++) {
      feedback.observe(i, 30_000_000, 5_000_000, 0, 0, 0);
    }
    assertThat((double) feedback.residualNanos(15)).isCloseTo(25_000_000, within(1_000_000.0));
  }

  @Test
  void aResidualWithoutNewAnswersHoldsForAWindowThenFades() {
    PoolFeedback feedback = new PoolFeedback();
    long at = 7_000_000_000L;
    for (int i = 0; i < 30; i++) {
      feedback.observe(at, 60_000_000, 5_000_000, 0, 0, 0); // a slow spell: 55 ms late
    }
    long learned = feedback.residualNanos(at);
    assertThat((double) learned).isCloseTo(55_000_000, within(1_000_000.0));

    long hold = PoolFeedback.RESIDUAL_HOLD_NANOS;
    long halfLife = PoolFeedback.RESIDUAL_HALF_LIFE_NANOS;
    assertThat(feedback.residualNanos(at + hold - 1)).isEqualTo(learned);
    assertThat(feedback.residualNanos(at + hold)).isEqualTo(learned / 2);
    assertThat(feedback.residualNanos(at + hold + halfLife)).isEqualTo(learned / 4);
    assertThat(feedback.residualNanos(at + hold + 40 * halfLife)).isZero();
  }

  @Test
  void anAnswerAfterTheFadeStartsFromTheFadedResidual() {
    PoolFeedback feedback = new PoolFeedback();
    for (int i = 0; i < 30; i++) {
      feedback.observe(0, 60_000_000, 5_000_000, 0, 0, 0);
    }
    long later = PoolFeedback.RESIDUAL_HOLD_NANOS + 10 * PoolFeedback.RESIDUAL_HALF_LIFE_NANOS;
    long faded = feedback.residualNanos(later);
    feedback.observe(later, 5_000_000, 5_000_000, 0, 0, 0); // on time again

    long expected = Math.round(faded * (1 - PoolFeedback.ALPHA));
    assertThat(faded).isPositive().isLessThan(100_000);
    assertThat(feedback.residualNanos(later)).isCloseTo(expected, within(1L));
    assertThat(feedback.residualNanos(later + PoolFeedback.RESIDUAL_HOLD_NANOS - 1))
        .as("a new sample holds the residual again").isCloseTo(expected, within(1L));
  }

  @Test
  void queuedAnswersDoNotMoveTheResidual() {
    PoolFeedback feedback = new PoolFeedback();
    feedback.observe(0, 400_000_000, 20_000_000, 19, 0, 19);
    assertThat(feedback.residualNanos(0)).isZero();
  }

  @Test
  void overtakenAnswersDoNotMoveTheResidual() {
    PoolFeedback feedback = new PoolFeedback();
    long before = feedback.answers();
    feedback.answered(before); // a request routed later answered first
    long others = feedback.answered(before);
    assertThat(others).isEqualTo(1);
    feedback.observe(0, 400_000_000, 20_000_000, 0, others, 0);
    assertThat(feedback.residualNanos(0)).isZero();
  }

  @Test
  void latenessIsKeptPerTier() {
    PoolFeedback feedback = new PoolFeedback();
    long now = 3_000_000_000L;
    for (int i = 0; i < 3; i++) {
      feedback.observeLateness(1, now + i, 30_000_000); // silver, overtaken by gold under Triton priorities
    }
    feedback.observeLateness(0, now + 3, -2_000_000); // gold, early
    assertThat(feedback.tailLatenessNanos(1, now + 3)).isEqualTo(TailLateness.upperEdgeNanos(30_000_000));
    assertThat(feedback.tailLatenessNanos(0, now + 3)).isZero();
    assertThat(feedback.tailLatenessNanos(5, now + 3)).as("a tier that never answered").isZero();
  }

  @Test
  void attributesThePriceOverTheReplicaTimeShared() {
    PoolFeedback feedback = new PoolFeedback();
    feedback.attribute(3600.0, 2_000_000_000L, 2); // $1/s, 2 s shared by 2
    assertThat(feedback.costDollars()).isCloseTo(1.0, within(1e-9));
  }
}
