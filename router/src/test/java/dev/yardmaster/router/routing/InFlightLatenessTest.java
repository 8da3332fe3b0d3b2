package dev.yardmaster.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The oldest unanswered request's lateness, on a clock moved by hand. */
class InFlightLatenessTest {

  private static final long MS = 1_000_000;

  @Test
  void nothingInFlightIsNeverLate() {
    InFlightLateness waiting = new InFlightLateness();
    assertThat(waiting.latenessNanos(5_000 * MS)).isZero();
    waiting.routed(10 * MS);
    waiting.answered();
    assertThat(waiting.latenessNanos(5_000 * MS)).isZero();
  }

  @Test
  void theOldestWaitingRequestIsLateFromItsDueTimeOn() {
    InFlightLateness waiting = new InFlightLateness();
    waiting.routed(100 * MS); // due at 100 ms
    waiting.routed(110 * MS);
    assertThat(waiting.latenessNanos(90 * MS)).as("not due yet").isZero();
    assertThat(waiting.latenessNanos(160 * MS)).isEqualTo(60 * MS);
    waiting.answered(); // the first answered: the second is the oldest now
    assertThat(waiting.latenessNanos(160 * MS)).isEqualTo(50 * MS);
    waiting.answered();
    assertThat(waiting.latenessNanos(160 * MS)).isZero();
  }

  @Test
  void answersThatOvertakeMakeItReadAYoungerRequestNeverAnOlderOne() {
    InFlightLateness waiting = new InFlightLateness();
    waiting.routed(100 * MS);
    waiting.routed(200 * MS);
    waiting.routed(300 * MS);
    waiting.answered(); // really the third (a faster replica); read as the first
    assertThat(waiting.latenessNanos(400 * MS)).as("reads the second: at most the real 300 ms").isEqualTo(200 * MS);
  }

  @Test
  void moreInFlightThanItsCapacityReadsTheOneCapacityBack() {
    InFlightLateness waiting = new InFlightLateness();
    for (int i = 0; i < InFlightLateness.CAPACITY + 10; i++) {
      waiting.routed(i * MS);
    }
    long now = 5_000 * MS;
    assertThat(waiting.latenessNanos(now)).isEqualTo(now - 10 * MS);
  }

  @Test
  void theFeedbackReadsTheLaterOfAnswersAndWaitingRequests() {
    PoolFeedback feedback = new PoolFeedback();
    feedback.requestRouted(0, 100 * MS);
    assertThat(feedback.tailLatenessNanos(0, 400 * MS)).as("waiting 300 ms past due").isEqualTo(300 * MS);
    assertThat(feedback.tailLatenessNanos(1, 400 * MS)).as("another tier").isZero();
    feedback.requestAnswered(0);
    assertThat(feedback.tailLatenessNanos(0, 400 * MS)).isZero();
  }
}
