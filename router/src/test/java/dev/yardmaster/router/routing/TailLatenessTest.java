package dev.yardmaster.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window of a pool's tail lateness, with time moved by hand. */
class TailLatenessTest {

  private static final long MS = 1_000_000;
  private static final long T0 = 5_000 * MS; // on a slot boundary

  @Test
  void aTwentiethOfLateAnswersIsTheTail() {
    TailLateness tail = new TailLateness();
    for (int i = 0; i < 100; i++) {
      tail.record(T0 + i * MS, -MS); // a millisecond early
    }
    assertThat(tail.tailNanos(T0 + 100 * MS)).isZero();
    for (int i = 0; i < 5; i++) {
      tail.record(T0 + (100 + i) * MS, 20 * MS);
    }
    // 100 on time + 5 at 20 ms: the 95th percentile (rank 100 of 105) is still on time
    assertThat(tail.tailNanos(T0 + 105 * MS)).isZero();
    tail.record(T0 + 105 * MS, 20 * MS);
    // rank 101 of 106: one of the late ones, read as its bucket's upper edge, 21.53 ms
    assertThat(tail.tailNanos(T0 + 106 * MS)).isEqualTo(21_526_948).isEqualTo(TailLateness.upperEdgeNanos(20 * MS));
  }

  @Test
  void oneOrTwoStrayLateAnswersAreNotATail() {
    TailLateness tail = new TailLateness();
    tail.record(T0, 400 * MS); // a cold start
    tail.record(T0 + MS, 400 * MS);
    assertThat(tail.tailNanos(T0 + MS)).isZero();
  }

  @Test
  void theThirdLateAnswerOfAQuietPoolCountsAtOnce() {
    TailLateness tail = new TailLateness();
    tail.record(T0, 70 * MS);
    tail.record(T0 + MS, 60 * MS);
    tail.record(T0 + 2 * MS, 80 * MS);
    assertThat(tail.tailNanos(T0 + 2 * MS)).isEqualTo(TailLateness.upperEdgeNanos(60 * MS))
        .isBetween(60 * MS, 72 * MS);
  }

  @Test
  void aPoolWithNoRecentAnswersIsForgottenAWindowAfterTheLastOne() {
    TailLateness tail = new TailLateness();
    for (int i = 0; i < 3; i++) {
      tail.record(T0 + (10 + i) * MS, 60 * MS); // in the slot [T0, T0 + 250 ms)
    }
    assertThat(tail.tailNanos(T0 + 999 * MS)).isPositive();
    assertThat(tail.tailNanos(T0 + 1_000 * MS)).isZero();
  }

  @Test
  void onTimeAnswersPushOldLatenessOutOfTheWindow() {
    TailLateness tail = new TailLateness();
    for (int i = 0; i < 50; i++) {
      tail.record(T0 + i * MS, 60 * MS);
    }
    // a quarter second on, the late slot is still in the window and outweighs one on-time answer
    tail.record(T0 + 300 * MS, 0);
    assertThat(tail.tailNanos(T0 + 300 * MS)).isEqualTo(TailLateness.upperEdgeNanos(60 * MS));
    // a second on, it has left: only the on-time answers count
    tail.record(T0 + 1_000 * MS, 0);
    assertThat(tail.tailNanos(T0 + 1_000 * MS)).isZero();
  }

  @Test
  void aSampleFromAClockReadJustBeforeTheNewestCountsInTheNewestSlot() {
    TailLateness tail = new TailLateness();
    tail.record(T0 + 260 * MS, 30 * MS);
    tail.record(T0 + 261 * MS, 30 * MS);
    tail.record(T0 + 240 * MS, 30 * MS); // another thread read the clock a little earlier
    assertThat(tail.tailNanos(T0 + 1_249 * MS)).isEqualTo(TailLateness.upperEdgeNanos(30 * MS));
    assertThat(tail.tailNanos(T0 + 1_250 * MS)).isZero();
  }

  @Test
  void bucketsHoldTheirUpperEdge() {
    assertThat(TailLateness.upperEdgeNanos(-5)).isZero();
    assertThat(TailLateness.upperEdgeNanos(0)).isZero();
    assertThat(TailLateness.upperEdgeNanos(1)).isEqualTo(59_460);
    for (long lateness = 1; lateness < 2_000_000_000L; lateness = lateness * 3 / 2 + 1) {
      long edge = TailLateness.upperEdgeNanos(lateness);
      assertThat(edge).as("lateness %s", lateness).isGreaterThanOrEqualTo(lateness)
          .isLessThanOrEqualTo(Math.max(59_460, (long) (lateness * 1.19)));
      assertThat(TailLateness.upperEdgeNanos(edge)).as("an edge is in its own bucket").isEqualTo(edge);
    }
  }
}
