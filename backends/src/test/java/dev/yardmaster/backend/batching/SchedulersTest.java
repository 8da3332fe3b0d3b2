package dev.yardmaster.backend.batching;

import static dev.yardmaster.backend.batching.TestModels.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.Scheduler;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelDynamicBatching;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import org.junit.jupiter.api.Test;

class SchedulersTest {
  private final TestModels.Runner runner = new TestModels.Runner();

  @Test
  void picksTheDynamicBatcherForDynamicBatchingWithABatchDimension() {
    try (Scheduler scheduler = Schedulers.factory().create(
        spec(8, 1, ModelDynamicBatching.newBuilder()), runner, new ModelStats())) {
      assertThat(scheduler).isInstanceOf(DynamicBatchScheduler.class);
    }
  }

  @Test
  void picksDirectWithoutDynamicBatching() {
    try (Scheduler scheduler = Schedulers.factory().create(spec(8, 1, null), runner, new ModelStats())) {
      assertThat(scheduler).isInstanceOf(DirectScheduler.class);
    }
  }

  @Test
  void picksDirectWithoutBatchDimension() {
    try (Scheduler scheduler = Schedulers.factory().create(
        spec(0, 1, ModelDynamicBatching.newBuilder()), runner, new ModelStats())) {
      assertThat(scheduler).isInstanceOf(DirectScheduler.class);
    }
  }

  @Test
  void instancesAreTheSumOfInstanceGroupCounts() {
    ModelConfig twoGroups = ModelConfig.newBuilder()
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(2))
        .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(3))
        .build();
    ModelConfig uncounted = ModelConfig.newBuilder().addInstanceGroup(ModelInstanceGroup.getDefaultInstance()).build();

    assertThat(Schedulers.instanceCount(twoGroups)).isEqualTo(5);
    assertThat(Schedulers.instanceCount(uncounted)).isEqualTo(1);
    assertThat(Schedulers.instanceCount(ModelConfig.getDefaultInstance())).isEqualTo(1);
  }
}
