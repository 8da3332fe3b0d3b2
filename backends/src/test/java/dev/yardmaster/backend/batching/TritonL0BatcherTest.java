package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TritonBatcherThread.SHAPE_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.batching.TritonBatcherThread.Executed;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Triton's own batcher tests, {@code qa/L0_batcher/batcher_test.py} (server repository), on the
 * batch former. Each method carries the name of the Triton test it ports. Triton asserts batch
 * sizes and execution counts from its statistics and response times against thresholds; here both
 * become exact: which requests ran together, and when.
 *
 * <p>The models are those {@code qa/L0_batcher/test.sh} writes: {@code max_batch_size: 8} with
 * {@code dynamic_batching { preferred_batch_size: [ 2, 6 ], max_queue_delay_microseconds: 10000000 }},
 * or {@code preferred_batch_size: [ 4, 6 ]} and no delay for the {@code test_preferred_batch_only_*}
 * tests. Requests of the variable-size model differ in their input's size, 16 or 8: a batch key.
 */
class TritonL0BatcherTest {
  private static final long MAX_QUEUE_DELAY_MS = 10_000;

  private static BatchingPolicy policy(int maxBatchSize, List<Integer> preferred, long delayMicros) {
    return BatchingPolicy.from(ModelConfig.newBuilder()
        .setMaxBatchSize(maxBatchSize)
        .setDynamicBatching(ModelDynamicBatching.newBuilder()
            .addAllPreferredBatchSize(preferred)
            .setMaxQueueDelayMicroseconds(delayMicros))
        .build());
  }

  /** {@code models} and {@code var_models}: preferred 2 and 6, a delay of 10 s. */
  private static TritonBatcherThread batcher() {
    return new TritonBatcherThread(policy(8, List.of(2, 6), MAX_QUEUE_DELAY_MS * 1_000));
  }

  /** {@code preferred_batch_only_models}: preferred 4 and 6, the default delay of 0. */
  private static TritonBatcherThread preferredOnly() {
    return new TritonBatcherThread(policy(8, List.of(4, 6), 0));
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  @Test
  void test_static_batch_preferred() {
    // Triton: two requests of preferred sizes 2 and 6 answer at once; batch sizes {2: 1, 6: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 2);
    batcher.send(0, "b", 6);

    assertThat(batcher.executed()).containsExactly(
        new Executed(0, List.of("a"), 2),
        new Executed(0, List.of("b"), 6));
  }

  @Test
  void test_static_batch_lt_any_preferred() {
    // Triton: one request of 1 (< every preferred size) waits the full queue delay; {1: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 1);
    batcher.advanceTo(MAX_QUEUE_DELAY_MS - 1);
    assertThat(batcher.executed()).isEmpty();

    batcher.advanceTo(20_000);
    assertThat(batcher.executed()).containsExactly(new Executed(MAX_QUEUE_DELAY_MS, List.of("a"), 1));
  }

  @Test
  void test_static_batch_not_preferred() {
    // Triton: one request of 3 (between the preferred sizes) waits the full queue delay; {3: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 3);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(new Executed(MAX_QUEUE_DELAY_MS, List.of("a"), 3));
  }

  @Test
  void test_static_batch_gt_max_preferred() {
    // Triton: one request of 7 (> the largest preferred size) goes at once despite the delay; {7: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 7);

    assertThat(batcher.executed()).containsExactly(new Executed(0, List.of("a"), 7));
  }

  @Test
  void test_multi_batch_different_shape() {
    // Triton: 1 row of size 16, then (1 s later) 1 row of size 8: not batched; the first answers
    // when the second arrives, the second after the queue delay; {1: 2}, 2 executions.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 1);
    batcher.send(1_000, "b", 1, SHAPE_8);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a"), 1),
        new Executed(11_000, List.of("b"), 1));
  }

  @Test
  void test_multi_batch_not_preferred() {
    // Triton: 1 row, then 3 rows 1 s later: 4 is not preferred, so both wait for the first one's
    // queue delay and run together; {4: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 1);
    batcher.send(1_000, "b", 3);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(new Executed(MAX_QUEUE_DELAY_MS, List.of("a", "b"), 4));
  }

  @Test
  void test_multi_batch_not_preferred_different_shape() {
    // Triton: 1 + 3 rows of size 16, then 1 row of size 8: the first two run when the third
    // arrives, the third after the queue delay; {1: 1, 4: 1}, 2 executions.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 1);
    batcher.send(0, "b", 3);
    batcher.send(1_000, "c", 1, SHAPE_8);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a", "b"), 4),
        new Executed(11_000, List.of("c"), 1));
  }

  @Test
  void test_multi_batch_preferred_different_shape() {
    // Triton: 1 + 3 rows of size 16, then 1 + 5 rows of size 8, which make the preferred 6: all
    // answer at once; {4: 1, 6: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 1);
    batcher.send(0, "b", 3);
    batcher.send(1_000, "c", 1, SHAPE_8);
    batcher.send(1_000, "d", 5, SHAPE_8);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a", "b"), 4),
        new Executed(1_000, List.of("c", "d"), 6));
  }

  @Test
  void test_multi_batch_gt_max_preferred() {
    // Triton: 3 rows, then 7 rows 1 s later (3 + 7 > max_batch_size 8): both answer at once; {3: 1, 7: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 3);
    batcher.send(1_000, "b", 7);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a"), 3),
        new Executed(1_000, List.of("b"), 7));
  }

  @Test
  void test_multi_batch_sum_gt_max_preferred() {
    // Triton: 3 rows, then 4 rows 1 s later (3 + 4 > the largest preferred 6): the first answers
    // at once, the second, alone below 6, after its queue delay; {3: 1, 4: 1}.
    TritonBatcherThread batcher = batcher();
    batcher.send(0, "a", 3);
    batcher.send(1_000, "b", 4);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a"), 3),
        new Executed(11_000, List.of("b"), 4));
  }

  @Test
  void test_multi_batch_delayed_sum_gt_max_preferred() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=2: as above with both queued before the batcher looks.
    TritonBatcherThread batcher = batcher().paused();
    batcher.send(0, "a", 3);
    batcher.send(1_000, "b", 4);
    batcher.start(1_000);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a"), 3),
        new Executed(11_000, List.of("b"), 4));
  }

  @Test
  void test_multi_batch_delayed_use_max_batch() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=3: 3 and 4 rows, then 1 row after their queue delay
    // passed: once the delay is exceeded the preferred cut no longer applies and all three run as
    // one full batch; {8: 1}, 1 execution.
    TritonBatcherThread batcher = batcher().paused();
    batcher.send(0, "a", 3);
    batcher.send(0, "b", 4);
    batcher.send(11_000, "c", 1);
    batcher.start(11_000);

    assertThat(batcher.executed()).containsExactly(new Executed(11_000, List.of("a", "b", "c"), 8));
  }

  @Test
  void test_multi_batch_delayed_preferred_different_shape() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=4: 1 + 3 rows of size 16 and 1 + 5 rows of size 8, all
    // queued before the batcher looks: both batches answer at once; {4: 1, 6: 1}.
    TritonBatcherThread batcher = batcher().paused();
    batcher.send(0, "a", 1);
    batcher.send(0, "b", 3);
    batcher.send(1_000, "c", 1, SHAPE_8);
    batcher.send(1_000, "d", 5, SHAPE_8);
    batcher.start(1_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a", "b"), 4),
        new Executed(1_000, List.of("c", "d"), 6));
  }

  @Test
  void test_multi_batch_use_biggest_preferred() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=6: six requests of 1 reach 2 and then 6: the largest
    // preferred size is used; {6: 1}.
    TritonBatcherThread batcher = batcher().paused();
    for (String id : ids("r", 6)) {
      batcher.send(0, id, 1);
    }
    batcher.start(0);

    assertThat(batcher.executed()).containsExactly(new Executed(0, ids("r", 6), 6));
  }

  @Test
  void test_multi_batch_use_best_preferred() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=3: 1 + 1 rows, then 1 row 1 s later: the preferred 2 runs
    // at once, the third request after its own queue delay; {2: 1, 1: 1}.
    TritonBatcherThread batcher = batcher().paused();
    batcher.send(0, "a", 1);
    batcher.send(0, "b", 1);
    batcher.send(1_000, "c", 1);
    batcher.start(1_000);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(1_000, List.of("a", "b"), 2),
        new Executed(11_000, List.of("c"), 1));
  }

  @Test
  void test_preferred_batch_only_aligned() {
    // Triton, preferred [4, 6] without delay, TRITONSERVER_DELAY_SCHEDULER=4: four of 1; {4: 1}.
    TritonBatcherThread batcher = preferredOnly().paused();
    for (String id : ids("r", 4)) {
      batcher.send(0, id, 1);
    }
    batcher.start(0);

    assertThat(batcher.executed()).containsExactly(new Executed(0, ids("r", 4), 4));
  }

  @Test
  void test_preferred_batch_only_unaligned() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=5: five of 1 make the preferred 4, then 1 at once
    // (max_queue_delay 0 never waits); {4: 1, 1: 1}.
    TritonBatcherThread batcher = preferredOnly().paused();
    for (String id : ids("r", 5)) {
      batcher.send(0, id, 1);
    }
    batcher.start(0);

    assertThat(batcher.executed()).containsExactly(
        new Executed(0, ids("r", 4), 4),
        new Executed(0, List.of("r4"), 1));
  }

  @Test
  void test_preferred_batch_only_use_biggest_preferred() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=7: seven of 1 make the largest preferred 6, then 1; {6: 1, 1: 1}.
    TritonBatcherThread batcher = preferredOnly().paused();
    for (String id : ids("r", 7)) {
      batcher.send(0, id, 1);
    }
    batcher.start(0);

    assertThat(batcher.executed()).containsExactly(
        new Executed(0, ids("r", 6), 6),
        new Executed(0, List.of("r6"), 1));
  }

  @Test
  void test_preferred_batch_only_use_no_preferred_size() {
    // Triton, TRITONSERVER_DELAY_SCHEDULER=3: three of 1 reach no preferred size and go as 3; {3: 1}.
    TritonBatcherThread batcher = preferredOnly().paused();
    for (String id : ids("r", 3)) {
      batcher.send(0, id, 1);
    }
    batcher.start(0);

    assertThat(batcher.executed()).containsExactly(new Executed(0, ids("r", 3), 3));
  }

  @Test
  void test_max_queue_delay_only_non_default() {
    // Triton: max_batch_size 100, no preferred size, max_queue_delay 20 ms, twelve requests of 1
    // from threads: one or two executions, depending on when they arrive. Arriving 1 ms apart,
    // all twelve are within the first one's delay: one execution at 20 ms.
    TritonBatcherThread batcher = new TritonBatcherThread(policy(100, List.of(), 20_000));
    List<String> ids = ids("r", 12);
    for (int i = 0; i < ids.size(); i++) {
      batcher.send(i, ids.get(i), 1);
    }
    batcher.advanceTo(1_000);

    assertThat(batcher.executed()).containsExactly(new Executed(20, ids, 12));
  }
}
