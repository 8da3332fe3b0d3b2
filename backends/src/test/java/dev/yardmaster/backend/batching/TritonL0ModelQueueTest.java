package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TritonBatcherThread.SHAPE_16;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.batching.BatchFormer.Batch;
import dev.yardmaster.backend.batching.BatchFormer.Offer;
import dev.yardmaster.backend.batching.TritonBatcherThread.Executed;
import dev.yardmaster.backend.batching.TritonBatcherThread.TimedOut;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Triton's queue policy and priority tests, {@code qa/L0_model_queue/model_queue_test.py} (server
 * repository), on the batch former. Each method carries the name of the Triton test it ports; the
 * configs are those its {@code test.sh} writes for {@code custom_zero_1_float32}
 * ({@code max_batch_size: 32}, one instance).
 */
class TritonL0ModelQueueTest {

  private static BatchingPolicy policy(ModelDynamicBatching.Builder batching) {
    return BatchingPolicy.from(ModelConfig.newBuilder().setMaxBatchSize(32).setDynamicBatching(batching).build());
  }

  /** preferred 4 and 8, max_queue_delay 10 s, the given default queue policy. */
  private static TritonBatcherThread batcher(ModelQueuePolicy.Builder queuePolicy) {
    return new TritonBatcherThread(policy(ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(4).addPreferredBatchSize(8)
        .setMaxQueueDelayMicroseconds(10_000_000)
        .setDefaultQueuePolicy(queuePolicy)));
  }

  @Test
  void test_max_queue_size() {
    // Triton: max_queue_size 8; a request of 8 (preferred) keeps the one instance busy for 1 s
    // while ten requests of 1 arrive: at most two fail with "Exceeds maximum queue size".
    BatchFormer<String> former = new BatchFormer<>(policy(ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(4).addPreferredBatchSize(8)
        .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder().setMaxQueueSize(8))));
    assertThat(former.offer("busy", 8, 0, 0, 0, SHAPE_16)).isEqualTo(Offer.ACCEPTED);
    assertThat(former.nextBatch(0)).isEqualTo(new Batch<>(List.of("busy"), 8));

    // No batch forms while the instance is busy: the queue fills.
    List<Offer> offers = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Offer offer = former.offer("r" + i, 1, 0, 500, 0, SHAPE_16);
      offers.add(offer);
      if (offer == Offer.ACCEPTED) {
        queued.add("r" + i);
      }
    }

    assertThat(offers).filteredOn(offer -> offer == Offer.REJECTED_QUEUE_FULL).hasSize(2);
    assertThat(former.nextBatch(1_000)).isEqualTo(new Batch<>(queued, 8));
  }

  @Test
  void test_policy_delay() {
    // Triton: DELAY after 100 ms. 1 row, then 2 + 2 rows 200 ms later: the first is delayed
    // behind the others, which make the preferred 4 and answer at once (< 100 ms); the first
    // waits for its queue delay (10 s to 15 s); no request fails.
    TritonBatcherThread batcher = batcher(ModelQueuePolicy.newBuilder()
        .setTimeoutAction(ModelQueuePolicy.TimeoutAction.DELAY).setDefaultTimeoutMicroseconds(100_000));
    batcher.send(0, "a", 1);
    batcher.send(200, "b", 2);
    batcher.send(200, "c", 2);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(200, List.of("b", "c"), 4),
        new Executed(10_000, List.of("a"), 1));
    assertThat(batcher.timedOut()).isEmpty();
  }

  @Test
  void test_policy_reject() {
    // Triton: REJECT after 100 ms. 1 row, then 2 + 2 rows 200 ms later: the first fails with
    // "Request timeout expired", the others make the preferred 4 and answer at once.
    TritonBatcherThread batcher = batcher(ModelQueuePolicy.newBuilder().setDefaultTimeoutMicroseconds(100_000));
    batcher.send(0, "a", 1);
    batcher.send(200, "b", 2);
    batcher.send(200, "c", 2);
    batcher.advanceTo(20_000);

    assertThat(batcher.timedOut()).containsExactly(new TimedOut(100, "a"));
    assertThat(batcher.executed()).containsExactly(new Executed(200, List.of("b", "c"), 4));
  }

  @Test
  void test_timeout_override() {
    // Triton: REJECT, default_timeout 1 s, allow_timeout_override. Three rounds of 1 row, then
    // 2 + 2 rows 200 ms later; in each exactly the first request fails.
    ModelQueuePolicy.Builder queuePolicy =
        ModelQueuePolicy.newBuilder().setAllowTimeoutOverride(true).setDefaultTimeoutMicroseconds(1_000_000);

    // A shorter timeout overrides: the first fails at 100 ms, the others then answer at once.
    TritonBatcherThread shorter = batcher(queuePolicy);
    shorter.send(0, "a", 1, SHAPE_16, 0, 100);
    shorter.send(200, "b", 2);
    shorter.send(200, "c", 2);
    shorter.advanceTo(20_000);
    assertThat(shorter.timedOut()).containsExactly(new TimedOut(100, "a"));
    assertThat(shorter.executed()).containsExactly(new Executed(200, List.of("b", "c"), 4));

    // "timeout larger than 'default_timeout_microseconds' will not override": 10 s is cut to the
    // default 1 s, so the others answer at 1 s (Triton: 700 ms to 1100 ms after they were sent),
    // not together with the first after the 10 s queue delay.
    TritonBatcherThread longer = batcher(queuePolicy);
    longer.send(0, "a", 1, SHAPE_16, 0, 10_000);
    longer.send(200, "b", 2);
    longer.send(200, "c", 2);
    longer.advanceTo(20_000);
    assertThat(longer.timedOut()).containsExactly(new TimedOut(1_000, "a"));
    assertThat(longer.executed()).containsExactly(new Executed(1_000, List.of("b", "c"), 4));

    // Without an override the default applies: the same as the longer one.
    TritonBatcherThread none = batcher(queuePolicy);
    none.send(0, "a", 1);
    none.send(200, "b", 2);
    none.send(200, "c", 2);
    none.advanceTo(20_000);
    assertThat(none.timedOut()).containsExactly(new TimedOut(1_000, "a"));
    assertThat(none.executed()).containsExactly(new Executed(1_000, List.of("b", "c"), 4));
  }

  @Test
  void test_priority_levels() {
    // Triton: priority_levels 2, default_priority_level 2. 2 rows and (100 ms later) 1 row at the
    // default level, then 2 rows at priority 1 (200 ms later): that request goes first and makes
    // the preferred 4 with the first one (which answers 200 ms to 500 ms after it was sent); the
    // 1-row request waits for its queue delay (10 s to 15 s).
    TritonBatcherThread batcher = new TritonBatcherThread(policy(ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(4).addPreferredBatchSize(8)
        .setMaxQueueDelayMicroseconds(10_000_000)
        .setPriorityLevels(2).setDefaultPriorityLevel(2)));
    batcher.send(0, "a", 2);
    batcher.send(100, "b", 1);
    batcher.send(300, "urgent", 2, SHAPE_16, 1, 0);
    batcher.advanceTo(20_000);

    assertThat(batcher.executed()).containsExactly(
        new Executed(300, List.of("urgent", "a"), 4),
        new Executed(10_100, List.of("b"), 1));
  }

  @Test
  void test_priority_with_policy() {
    // Triton: preferred 4, 8 and 32; priority 1 DELAYs, priority 2 REJECTs, both after a default
    // 11 s that requests may shorten. Sent 200 ms apart:
    //   priority 1: 2 rows; 1 row with a 1 s timeout; 2 rows
    //   priority 2: 2 rows with a 2 s timeout; 3 rows; 6 rows
    // Triton's comments: once the 1-row request is delayed (at 1.2 s) the two 2-row requests of
    // priority 1 form the 1st batch; the 2-row request of priority 2 is rejected (at 2.6 s) and the
    // delayed 1 row with the 3 rows forms the 2nd batch; the 6 rows wait for their queue delay.
    ModelQueuePolicy.Builder override = ModelQueuePolicy.newBuilder()
        .setAllowTimeoutOverride(true).setDefaultTimeoutMicroseconds(11_000_000);
    TritonBatcherThread batcher = new TritonBatcherThread(policy(ModelDynamicBatching.newBuilder()
        .addPreferredBatchSize(4).addPreferredBatchSize(8).addPreferredBatchSize(32)
        .setMaxQueueDelayMicroseconds(10_000_000)
        .setPriorityLevels(2).setDefaultPriorityLevel(2)
        .setDefaultQueuePolicy(override.clone().setTimeoutAction(ModelQueuePolicy.TimeoutAction.DELAY))
        .putPriorityQueuePolicy(2, override.clone().setTimeoutAction(ModelQueuePolicy.TimeoutAction.REJECT).build())));
    batcher.send(0, "p1-2rows", 2, SHAPE_16, 1, 0);
    batcher.send(200, "p1-1row-short", 1, SHAPE_16, 1, 1_000);
    batcher.send(400, "p1-2rows-b", 2, SHAPE_16, 1, 0);
    batcher.send(600, "p2-2rows-medium", 2, SHAPE_16, 2, 2_000);
    batcher.send(800, "p2-3rows", 3, SHAPE_16, 2, 0);
    batcher.send(1_000, "p2-6rows", 6, SHAPE_16, 2, 0);
    batcher.advanceTo(20_000);

    // Triton's bounds, from when each was sent: 1 s to 2 s; 2.4 s to 3.4 s; 0.7 s to 1.7 s;
    // rejected; 1.7 s to 2.7 s; 10 s to 15 s.
    assertThat(batcher.executed()).containsExactly(
        new Executed(1_200, List.of("p1-2rows", "p1-2rows-b"), 4),
        new Executed(2_600, List.of("p1-1row-short", "p2-3rows"), 4),
        new Executed(11_000, List.of("p2-6rows"), 6));
    assertThat(batcher.timedOut()).containsExactly(new TimedOut(2_600, "p2-2rows-medium"));
  }
}
