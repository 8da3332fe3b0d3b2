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
      feedback.observe(30_000_000, 5_000_000, 0, 0, 0);
    }
    assertThat((double) feedback.residualNanos()).isCloseTo(25_000_000, within(1_000_000.0));
  }

  @Test
  void queuedAnswersDoNotMoveTheResidual() {
    PoolFeedback feedback = new PoolFeedback();
    feedback.observe(400_000_000, 20_000_000, 19, 0, 19);
    assertThat(feedback.residualNanos()).isZero();
  }

  @Test
  void overtakenAnswersDoNotMoveTheResidual() {
    PoolFeedback feedback = new PoolFeedback();
    long before = feedback.answers();
    feedback.answered(before); // a request routed later answered first
    long others = feedback.answered(before);
    assertThat(others).isEqualTo(1);
    feedback.observe(400_000_000, 20_000_000, 0, others, 0);
    assertThat(feedback.residualNanos()).isZero();
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
