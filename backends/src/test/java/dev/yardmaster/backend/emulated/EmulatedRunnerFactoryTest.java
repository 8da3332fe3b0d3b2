package dev.yardmaster.backend.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.backend.ModelSpec;
import dev.yardmaster.backend.ModelStats;
import dev.yardmaster.backend.batching.Schedulers;
import dev.yardmaster.backend.emulated.EmulatedRunnerPacingTest.FakeClock;
import dev.yardmaster.backend.emulated.EmulatedRunnerPacingTest.FakeRunner;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.protocol.v2.ModelConfig;
import dev.yardmaster.protocol.v2.ModelInstanceGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EmulatedRunnerFactoryTest {

  static final ModelSpec SPEC = new ModelSpec("m", "1", "onnxruntime_onnx", 64, List.of(), List.of(),
      ModelConfig.newBuilder().setName("m").setMaxBatchSize(64)
          .addInstanceGroup(ModelInstanceGroup.newBuilder().setCount(4)).build());

  @Test
  void schedulersGetTheDevicesConcurrencyInsteadOfTheConfigsInstanceGroups() {
    FakeClock clock = new FakeClock();
    EmulatedRunnerFactory factory = new EmulatedRunnerFactory((spec, file) -> new FakeRunner(clock, 0),
        AcceleratorProfiles.INFERENTIA2, clock);
    AtomicReference<ModelSpec> seen = new AtomicReference<>();

    factory.schedulerFactory((spec, runner, stats) -> {
      seen.set(spec);
      return null;
    }).create(SPEC, new FakeRunner(clock, 0), new ModelStats());

    assertThat(Schedulers.instanceCount(seen.get().config())).isEqualTo(2);
    assertThat(Schedulers.instanceCount(SPEC.config())).as("the original spec is untouched").isEqualTo(4);
  }

  @Test
  void everyRunnerOpenedCountsIntoTheFactory() {
    FakeClock clock = new FakeClock();
    EmulatedRunnerFactory factory = new EmulatedRunnerFactory((spec, file) -> new FakeRunner(clock, 5_000_000),
        AcceleratorProfiles.GPU_A10G, clock);
    ModelRunner first = factory.open(SPEC, Path.of("model.onnx"));
    ModelRunner second = factory.open(SPEC, Path.of("model.onnx"));

    first.run(EmulatedRunnerPacingTest.rows(1), List.of("y"));
    second.run(EmulatedRunnerPacingTest.rows(64), List.of("y"));

    assertThat(first.kind()).isEqualTo("emulated-gpu-a10g (onnxruntime-cpu)");
    assertThat(factory.executions()).isEqualTo(2);
    assertThat(factory.laggingExecutions()).as("5 ms on the host is slower than the A10G").isEqualTo(2);
  }

  @Test
  void theDeviceRunsNoMoreThanItsConcurrencyAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ModelRunner slow = new FakeRunner(new FakeClock(), 0) {
      @Override
      public List<Tensor> run(Map<String, Tensor> inputs,
          List<String> outputNames) {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        return List.of();
      }
    };
    AcceleratorProfile oneAtATime = AcceleratorProfile.of("one", "gpu", 1, "test", 1, 0);
    EmulatedRunner runner = new EmulatedRunner(slow, oneAtATime, true, PacingClock.system());
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(threads.submit(() -> runner.run(EmulatedRunnerPacingTest.rows(1), List.of("y"))));
      }
      for (Future<?> run : runs) {
        run.get(10, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(mostAtOnce.get()).isEqualTo(1);
    assertThat(runner.executions()).isEqualTo(4);
  }
}
