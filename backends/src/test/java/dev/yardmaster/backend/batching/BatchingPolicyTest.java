package dev.yardmaster.backend.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.batching.BatchingPolicy.QueuePolicy;
import dev.yardmaster.backend.batching.BatchingPolicy.TimeoutAction;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelQueuePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingPolicyTest {

  @Test
  void readsTritonFields() {
    ModelConfig config = ModelConfig.newBuilder()
        .setName("wide_mlp")
        .setMaxBatchSize(64)
        .setDynamicBatching(ModelDynamicBatching.newBuilder()
            .addPreferredBatchSize(32)
            .addPreferredBatchSize(16)
            .setMaxQueueDelayMicroseconds(500)
            .setPreserveOrdering(true)
            .setPriorityLevels(3)
            .setDefaultPriorityLevel(3)
            .setDefaultQueuePolicy(ModelQueuePolicy.newBuilder()
                .setTimeoutAction(ModelQueuePolicy.TimeoutAction.DELAY)
                .setDefaultTimeoutMicroseconds(2_000)
                .setMaxQueueSize(100))
            .putPriorityQueuePolicy(1, ModelQueuePolicy.newBuilder()
                .setAllowTimeoutOverride(true)
                .setMaxQueueSize(10)
                .build()))
        .build();

    BatchingPolicy policy = BatchingPolicy.from(config);

    assertThat(policy.maxBatchSize()).isEqualTo(64);
    assertThat(policy.preferredBatchSizes()).containsExactly(16, 32);
    assertThat(policy.maxPreferredBatchSize()).isEqualTo(32);
    assertThat(policy.maxQueueDelayNanos()).isEqualTo(500_000);
    assertThat(policy.priorityLevels()).isEqualTo(3);
    assertThat(policy.defaultPriorityLevel()).isEqualTo(3);
    assertThat(policy.queuePolicy(1)).isEqualTo(new QueuePolicy(TimeoutAction.REJECT, 0, true, 10));
    assertThat(policy.queuePolicy(2)).isEqualTo(new QueuePolicy(TimeoutAction.DELAY, 2_000_000, false, 100));
    assertThat(policy.queuePolicy(3)).isEqualTo(policy.queuePolicy(2));
    assertThat(policy.preserveOrdering()).isTrue();
  }

  @Test
  void zeroPriorityLevelsMeansOneLevel() {
    BatchingPolicy policy = BatchingPolicy.from(ModelConfig.newBuilder()
        .setMaxBatchSize(8).setDynamicBatching(ModelDynamicBatching.getDefaultInstance()).build());

    assertThat(policy.priorityLevels()).isEqualTo(1);
    assertThat(policy.defaultPriorityLevel()).isEqualTo(1);
    assertThat(policy.queuePolicies()).containsExactly(QueuePolicy.DEFAULT);
    assertThat(policy.maxPreferredBatchSize()).isEqualTo(8);
    assertThat(policy.preserveOrdering()).as("Triton's default").isFalse();
  }

  @Test
  void requestPriorityZeroOrOutOfRangeUsesTheDefaultLevel() {
    BatchingPolicy policy = new BatchingPolicy(8, List.of(), 0, 3, 2,
        List.of(QueuePolicy.DEFAULT, QueuePolicy.DEFAULT, QueuePolicy.DEFAULT), false);

    assertThat(policy.level(0)).isEqualTo(2);
    assertThat(policy.level(1)).isEqualTo(1);
    assertThat(policy.level(3)).isEqualTo(3);
    assertThat(policy.level(4)).isEqualTo(2);
  }

  @Test
  void timeoutOverrideOnlyWhenAllowedAndShorter() {
    assertThat(new QueuePolicy(TimeoutAction.REJECT, 5, true, 0).timeoutNanos(3)).isEqualTo(3);
    assertThat(new QueuePolicy(TimeoutAction.REJECT, 5, true, 0).timeoutNanos(0)).isEqualTo(5);
    assertThat(new QueuePolicy(TimeoutAction.REJECT, 5, false, 0).timeoutNanos(3)).isEqualTo(5);
    // Triton's PolicyQueue::Enqueue: "override_timeout_us != 0 && override_timeout_us < timeout_us"
    assertThat(new QueuePolicy(TimeoutAction.REJECT, 5, true, 0).timeoutNanos(9)).as("longer").isEqualTo(5);
    assertThat(new QueuePolicy(TimeoutAction.REJECT, 0, true, 0).timeoutNanos(9)).as("no default").isZero();
  }

  @Test
  void namesEveryBadFieldAtOnce() {
    ModelConfig config = ModelConfig.newBuilder()
        .setName("wide_mlp")
        .setMaxBatchSize(64)
        .setDynamicBatching(ModelDynamicBatching.newBuilder()
            .addPreferredBatchSize(128)
            .setPriorityLevels(2)
            .setDefaultPriorityLevel(5)
            .putPriorityQueuePolicy(3, ModelQueuePolicy.getDefaultInstance()))
        .build();

    assertThatThrownBy(() -> BatchingPolicy.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("model 'wide_mlp': ")
        .hasMessageContaining("dynamic_batching.preferred_batch_size: 128 (expected: <= max_batch_size 64)")
        .hasMessageContaining("dynamic_batching.default_priority_level: 5 (expected: >= 1 and <= priority_levels 2)")
        .hasMessageContaining("dynamic_batching.priority_queue_policy[3]: priority level 3"
            + " (expected: >= 1 and <= priority_levels 2)");
  }

  @Test
  void rejectsDynamicBatchingWithoutBatchDimension() {
    ModelConfig config = ModelConfig.newBuilder()
        .setDynamicBatching(ModelDynamicBatching.getDefaultInstance()).build();

    assertThatThrownBy(() -> BatchingPolicy.from(config))
        .hasMessage("max_batch_size: 0 (expected: >= 1 for dynamic_batching)");
  }
}
