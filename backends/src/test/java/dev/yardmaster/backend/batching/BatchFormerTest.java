package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.batching.BatchFormer.Batch;
import dev.yardmaster.backend.batching.BatchFormer.Offer;
import dev.yardmaster.backend.batching.BatchingPolicy.QueuePolicy;
import dev.yardmaster.backend.batching.BatchingPolicy.TimeoutAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact-number tests of the batching rules; time is plain numbers, nothing sleeps. */
class BatchFormerTest {
  private static final String SAME_SHAPE = "x:FP32[4]";
  private static final long DELAY = 100_000;

  private static BatchingPolicy policy(int maxBatchSize, List<Integer> preferred, long delayNanos) {
    return new BatchingPolicy(maxBatchSize, preferred, delayNanos, 1, 1, List.of(QueuePolicy.DEFAULT), false);
  }

  private static BatchingPolicy levels(int maxBatchSize, int levels, int defaultLevel, QueuePolicy... policies) {
    return new BatchingPolicy(maxBatchSize, List.of(), 0, levels, defaultLevel, List.of(policies), false);
  }

  private static void offer(BatchFormer<String> former, String item, int rows, long now) {
    assertThat(former.offer(item, rows, 0, now, 0, SAME_SHAPE)).isEqualTo(Offer.ACCEPTED);
  }

  @Test
  void formsPreferredBatchSize() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(4), DELAY));
    offer(former, "a", 1, 0);
    offer(former, "b", 1, 1);
    offer(former, "c", 1, 2);

    assertThat(former.nextBatch(3)).isNull();
    assertThat(former.nextDeadlineNanos(3)).isEqualTo(DELAY);

    offer(former, "d", 1, 10);
    Batch<String> batch = former.nextBatch(10);

    assertThat(batch).isEqualTo(new Batch<>(List.of("a", "b", "c", "d"), 4));
    assertThat(former.queuedRows()).isZero();
    assertThat(former.nextDeadlineNanos(10)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void sendsTheLargestPreferredSizeReachedAndKeepsTheRest() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(2, 4), DELAY));
    offer(former, "a", 1, 0);
    offer(former, "b", 1, 0);
    offer(former, "c", 1, 0);

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a", "b"), 2));
    assertThat(former.nextBatch(0)).isNull();
    assertThat(former.queuedRows()).isEqualTo(1);
  }

  @Test
  void sendsAtOnceWhenTheNextRequestWouldPassTheLargestPreferredSize() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(4), DELAY));
    offer(former, "a", 3, 0);
    offer(former, "b", 2, 0);

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a"), 3));
  }

  @Test
  void waitsAtMostMaxQueueDelay() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(), DELAY));
    offer(former, "a", 1, 0);
    offer(former, "b", 2, 40_000);

    assertThat(former.nextBatch(DELAY - 1)).isNull();
    assertThat(former.nextDeadlineNanos(DELAY - 1)).isEqualTo(DELAY);
    assertThat(former.nextBatch(DELAY)).isEqualTo(new Batch<>(List.of("a", "b"), 3));
  }

  @Test
  void sendsAtOnceWithoutQueueDelay() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(4), 0));
    offer(former, "a", 1, 0);
    offer(former, "b", 1, 0);

    assertThat(former.nextDeadlineNanos(0)).isZero();
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a", "b"), 2));
  }

  @Test
  void cutsAtTheLargestPreferredSizeReachedWithoutQueueDelay() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(2, 4), 0));
    for (String item : List.of("a", "b", "c", "d", "e", "f")) {
      offer(former, item, 1, 0);
    }

    // As in Triton since max_queue_delay 0 stopped counting as exceeded: 4 is preferred, so the
    // batch stops there; the 2 rows left go next, at once, though 2 < 4.
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a", "b", "c", "d"), 4));
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("e", "f"), 2));
  }

  @Test
  void withoutQueueDelayABatchStopsBeforeTheRequestThatPassesTheLargestPreferredSize() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(4), 0));
    offer(former, "a", 3, 0);
    offer(former, "b", 3, 0);

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a"), 3));
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("b"), 3));
  }

  @Test
  void delayExceededSendsEverythingUpToMaxBatchSize() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(2), DELAY));
    offer(former, "a", 1, 0);
    assertThat(former.nextBatch(DELAY - 1)).isNull();
    offer(former, "b", 1, DELAY - 1);
    offer(former, "c", 1, DELAY - 1);

    // Before the delay passes the preferred 2 would go at once; after it, the whole queue does.
    assertThat(former.nextBatch(DELAY)).isEqualTo(new Batch<>(List.of("a", "b", "c"), 3));
  }

  @Test
  void neverExceedsMaxBatchSize() {
    BatchFormer<String> former = new BatchFormer<>(policy(4, List.of(), DELAY));
    offer(former, "a", 3, 0);
    offer(former, "b", 2, 0);
    offer(former, "c", 1, 0);

    // b would make 5 rows: a goes alone at once, and requests are never split.
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a"), 3));
    assertThat(former.nextBatch(0)).isNull();
    assertThat(former.nextBatch(DELAY)).isEqualTo(new Batch<>(List.of("b", "c"), 3));
    assertThatThrownBy(() -> former.offer("d", 5, 0, 0, 0, SAME_SHAPE))
        .hasMessage("rows: 5 (expected: >= 1 and <= 4)");
  }

  @Test
  void sendsAtOnceWhenFull() {
    BatchFormer<String> former = new BatchFormer<>(policy(4, List.of(), DELAY));
    offer(former, "a", 2, 0);
    offer(former, "b", 2, 0);

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a", "b"), 4));
  }

  @Test
  void doesNotBatchDifferentShapes() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(), 0));
    former.offer("a1", 1, 0, 0, 0, "x:FP32[4]");
    former.offer("b", 1, 0, 0, 0, "x:FP32[5]");
    former.offer("a2", 1, 0, 0, 0, "x:FP32[4]");

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a1"), 1));
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("b"), 1));
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a2"), 1));
  }

  @Test
  void goldBeforeBronzeWhenSaturated() {
    BatchFormer<String> former = new BatchFormer<>(
        levels(2, 3, 3, QueuePolicy.DEFAULT, QueuePolicy.DEFAULT, QueuePolicy.DEFAULT));
    former.offer("bronze1", 1, 3, 0, 0, SAME_SHAPE);
    former.offer("bronze2", 1, 0, 1, 0, SAME_SHAPE); // 0: the default level, 3
    former.offer("silver", 1, 2, 2, 0, SAME_SHAPE);
    former.offer("gold1", 1, 1, 3, 0, SAME_SHAPE);
    former.offer("gold2", 1, 1, 4, 0, SAME_SHAPE);

    assertThat(former.nextBatch(5)).isEqualTo(new Batch<>(List.of("gold1", "gold2"), 2));
    assertThat(former.nextBatch(5)).isEqualTo(new Batch<>(List.of("silver", "bronze1"), 2));
    assertThat(former.nextBatch(5)).isEqualTo(new Batch<>(List.of("bronze2"), 1));
  }

  @Test
  void rejectsWhenQueueFull() {
    BatchFormer<String> former = new BatchFormer<>(levels(8, 2, 2,
        new QueuePolicy(TimeoutAction.REJECT, 0, false, 2), QueuePolicy.DEFAULT));

    assertThat(former.offer("a", 1, 1, 0, 0, SAME_SHAPE)).isEqualTo(Offer.ACCEPTED);
    assertThat(former.offer("b", 1, 1, 0, 0, SAME_SHAPE)).isEqualTo(Offer.ACCEPTED);
    assertThat(former.offer("c", 1, 1, 0, 0, SAME_SHAPE)).isEqualTo(Offer.REJECTED_QUEUE_FULL);
    assertThat(former.offer("d", 1, 2, 0, 0, SAME_SHAPE)).isEqualTo(Offer.ACCEPTED);
    assertThat(former.queuedRequests()).isEqualTo(3);

    former.nextBatch(0);
    assertThat(former.offer("e", 1, 1, 0, 0, SAME_SHAPE)).isEqualTo(Offer.ACCEPTED);
  }

  @Test
  void timesOutQueuedRequestsWithReject() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(), 1_000_000));
    former.offer("a", 2, 0, 0, 50_000, SAME_SHAPE);
    former.offer("b", 1, 0, 10, 0, SAME_SHAPE);

    assertThat(former.expired(49_999)).isEmpty();
    assertThat(former.nextTimeoutNanos()).isEqualTo(50_000);
    assertThat(former.nextDeadlineNanos(49_999)).isEqualTo(50_000);
    assertThat(former.expired(50_000)).containsExactly("a");
    assertThat(former.queuedRows()).isEqualTo(1);
    assertThat(former.nextTimeoutNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(former.nextDeadlineNanos(50_000)).isEqualTo(1_000_010);
  }

  @Test
  void aBatchedRequestNoLongerTimesOut() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(), 0));
    former.offer("a", 1, 0, 0, 50_000, SAME_SHAPE);

    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("a"), 1));
    assertThat(former.nextTimeoutNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(former.expired(60_000)).isEmpty();
  }

  @Test
  void delayedRequestsStayQueuedBehindTheirLevel() {
    BatchFormer<String> former = new BatchFormer<>(new BatchingPolicy(1, List.of(), 0, 1, 1,
        List.of(new QueuePolicy(TimeoutAction.DELAY, 10, false, 0)), false));
    former.offer("a", 1, 0, 0, 10, SAME_SHAPE);
    former.offer("b", 1, 0, 5, 0, SAME_SHAPE);

    assertThat(former.expired(20)).isEmpty();
    assertThat(former.nextBatch(20)).isEqualTo(new Batch<>(List.of("b"), 1));
    assertThat(former.nextBatch(20)).isEqualTo(new Batch<>(List.of("a"), 1));
  }

  @Test
  void drainBatchIgnoresTheDelay() {
    BatchFormer<String> former = new BatchFormer<>(policy(8, List.of(4), DELAY));
    offer(former, "a", 1, 0);
    offer(former, "b", 1, 0);

    assertThat(former.nextBatch(1)).isNull();
    assertThat(former.drainBatch(1)).isEqualTo(new Batch<>(List.of("a", "b"), 2));
    assertThat(former.drainBatch(1)).isNull();
    assertThat(former.isEmpty()).isTrue();
  }
}
