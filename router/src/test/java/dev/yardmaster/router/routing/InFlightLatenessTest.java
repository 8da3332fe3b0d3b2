package dev.yardmaster.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The oldest unanswered request's lateness, on a clock moved by hand. */
class InFlightLatenessTest {

  private static final long MS = 1_000_000;

  @Test
  void nothingInFlightIsNeverLate() {
    InFlightLateness waiting = new InFlightLateness();
    assertThat(waiting.latenessNanos(5_000 * MS)).isZero();
    waiting.answered(waiting.routed(10 * MS));
    assertThat(waiting.latenessNanos(5_000 * MS)).isZero();
  }

  @Test
  void theOldestWaitingRequestIsLateFromItsDueTimeOn() {
    InFlightLateness waiting = new InFlightLateness();
    long first = waiting.routed(100 * MS); // due at 100 ms
    long second = waiting.routed(110 * MS);
    assertThat(waiting.latenessNanos(90 * MS)).as("not due yet").isZero();
    assertThat(waiting.latenessNanos(160 * MS)).isEqualTo(60 * MS);
    waiting.answered(first);
    assertThat(waiting.latenessNanos(160 * MS)).isEqualTo(50 * MS);
    waiting.answered(second);
    assertThat(waiting.latenessNanos(160 * MS)).isZero();
  }

  @Test
  void answersThatOvertakeLeaveTheOlderRequestInView() {
    InFlightLateness waiting = new InFlightLateness();
    long stuck = waiting.routed(100 * MS); // on a replica that holds it
    long second = waiting.routed(200 * MS);
    long third = waiting.routed(300 * MS);
    waiting.answered(third); // faster replicas answer the younger ones
    waiting.answered(second);
    assertThat(waiting.latenessNanos(400 * MS)).as("the stuck one, 300 ms past due").isEqualTo(300 * MS);
    waiting.answered(stuck);
    assertThat(waiting.latenessNanos(400 * MS)).as("all answered").isZero();
    long next = waiting.routed(500 * MS);
    assertThat(waiting.latenessNanos(600 * MS)).as("the cursor moved past the three").isEqualTo(100 * MS);
    waiting.answered(next);
    assertThat(waiting.latenessNanos(600 * MS)).isZero();
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
  void answeringEveryRequestFromManyThreadsInAnyOrderLeavesNothingWaiting() throws Exception {
    InFlightLateness waiting = new InFlightLateness();
    List<Long> tickets = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      tickets.add(waiting.routed(i * MS));
    }
    Collections.shuffle(tickets, new Random(7));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        List<Long> share = tickets.subList(t * 200, (t + 1) * 200);
        threads.submit(() -> {
          start.await();
          share.forEach(waiting::answered);
          return null;
        });
      }
      start.countDown();
    } finally {
      threads.shutdown();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(waiting.latenessNanos(5_000 * MS)).isZero();
    waiting.routed(4_000 * MS);
    assertThat(waiting.latenessNanos(5_000 * MS)).as("the next one is the oldest").isEqualTo(1_000 * MS);
  }

  @Test
  void theFeedbackReadsTheLaterOfAnswersAndWaitingRequests() {
    PoolFeedback feedback = new PoolFeedback();
    long ticket = feedback.requestRouted(0, 100 * MS);
    assertThat(feedback.tailLatenessNanos(0, 400 * MS)).as("waiting 300 ms past due").isEqualTo(300 * MS);
    assertThat(feedback.tailLatenessNanos(1, 400 * MS)).as("another tier").isZero();
    feedback.requestAnswered(0, ticket);
    assertThat(feedback.tailLatenessNanos(0, 400 * MS)).isZero();
  }
}
