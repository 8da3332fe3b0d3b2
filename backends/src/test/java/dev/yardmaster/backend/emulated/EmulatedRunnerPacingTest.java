package dev.yardmaster.backend.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.ModelRunner;
import dev.yardmaster.protocol.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class EmulatedRunnerPacingTest {

  /** 1 -> 1000 us, 64 -> 1630 us (10 us per extra row), 256 -> 3550 us. */
  static final AcceleratorProfile PROFILE =
      AcceleratorProfile.of("test-gpu", "gpu", 2, "test", 1, 1_000, 64, 1_630, 256, 3_550);

  /** A clock that only moves when told: by the fake runner's compute time and by sleeps. */
  public static final class FakeClock implements PacingClock {
    public long now = 1_000_000_000L;
    public final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  /** Returns fixed outputs after "computing" for {@code computeNanos} on the fake clock. */
  public static class FakeRunner implements ModelRunner {
    final FakeClock clock;
    final long computeNanos;
    public final List<Tensor> outputs = List.of(Tensor.ofFloats("y", new long[] {1, 1}, new float[] {0.25f}));
    public boolean closed;

    public FakeRunner(FakeClock clock, long computeNanos) {
      this.clock = clock;
      this.computeNanos = computeNanos;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      clock.now += computeNanos;
      return outputs;
    }

    @Override
    public String kind() {
      return "onnxruntime-cpu";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static Map<String, Tensor> rows(int rows) {
    return Map.of("x", Tensor.ofFloats("x", new long[] {rows, 2}, new float[rows * 2]));
  }

  @Test
  void latencyCurveInterpolatesLinearlyAndExtendsTheLastSegment() {
    assertThat(PROFILE.latencyNanos(1)).isEqualTo(1_000_000);
    assertThat(PROFILE.latencyNanos(64)).isEqualTo(1_630_000);
    assertThat(PROFILE.latencyNanos(32)).isEqualTo(1_310_000);
    assertThat(PROFILE.latencyNanos(160)).isEqualTo(2_590_000);
    assertThat(PROFILE.latencyNanos(512)).isEqualTo(6_110_000);
  }

  @Test
  void batchOneCompletesExactlyAtTheProfileLatency() {
    FakeClock clock = new FakeClock();
    FakeRunner cpu = new FakeRunner(clock, 200_000);
    EmulatedRunner runner = new EmulatedRunner(cpu, PROFILE, true, clock);
    long start = clock.now;

    List<Tensor> outputs = runner.run(rows(1), List.of("y"));

    assertThat(outputs).isSameAs(cpu.outputs);
    assertThat(clock.now - start).isEqualTo(1_000_000);
    assertThat(clock.sleeps).containsExactly(800_000L);
    assertThat(runner.laggingExecutions()).isZero();
  }

  @Test
  void batchSixtyFourCompletesExactlyAtTheProfileLatency() {
    FakeClock clock = new FakeClock();
    FakeRunner cpu = new FakeRunner(clock, 300_000);
    EmulatedRunner runner = new EmulatedRunner(cpu, PROFILE, true, clock);
    long start = clock.now;

    assertThat(runner.run(rows(64), List.of("y"))).isEqualTo(cpu.outputs);

    assertThat(clock.now - start).isEqualTo(1_630_000);
    assertThat(clock.sleeps).containsExactly(1_330_000L);
  }

  @Test
  void aCpuSlowerThanTheDeviceIsCountedAsLaggingNotHidden() {
    FakeClock clock = new FakeClock();
    EmulatedRunner runner = new EmulatedRunner(new FakeRunner(clock, 2_000_000), PROFILE, true, clock);

    runner.run(rows(1), List.of("y"));
    runner.run(rows(64), List.of("y"));

    assertThat(clock.sleeps).isEmpty();
    assertThat(runner.laggingExecutions()).isEqualTo(2);
    assertThat(runner.executions()).isEqualTo(2);
  }

  @Test
  void aModelWithoutBatchDimensionExecutesAsBatchOne() {
    FakeClock clock = new FakeClock();
    EmulatedRunner runner = new EmulatedRunner(new FakeRunner(clock, 0), PROFILE, false, clock);

    runner.run(rows(64), List.of("y"));

    assertThat(clock.sleeps).containsExactly(1_000_000L);
  }

  @Test
  void kindSaysEmulatedAndNamesTheRealRuntime() {
    FakeClock clock = new FakeClock();
    FakeRunner cpu = new FakeRunner(clock, 0);
    EmulatedRunner runner = new EmulatedRunner(cpu, AcceleratorProfiles.GPU_A10G, true, clock);

    assertThat(runner.kind()).isEqualTo("emulated-gpu-a10g (onnxruntime-cpu)");
    runner.close();
    assertThat(cpu.closed).isTrue();
  }

  @Test
  void builtInProfilesHaveALaunchOverheadAndSmallPerRowCost() {
    assertThat(AcceleratorProfiles.builtIns()).containsOnlyKeys("gpu-a10g", "inf2");
    for (AcceleratorProfile profile : AcceleratorProfiles.builtIns().values()) {
      assertThat(profile.latencyNanos(1)).isBetween(1_000_000L, 2_000_000L);
      assertThat(profile.latencyNanos(64)).isLessThan(2 * profile.latencyNanos(1));
    }
  }

  @Test
  void badProfilesAreRejectedWithTheFieldAndTheExpectation() {
    assertThatThrownBy(() -> AcceleratorProfile.of("x", "gpu", 1, "t", 64, 1_000, 1, 900))
        .hasMessage("latency[1].batch: 1 (expected: > 64, batches strictly increasing)");
    assertThatThrownBy(() -> AcceleratorProfile.of("x", "gpu", 0, "t", 1, 1_000))
        .hasMessage("maxConcurrentExecutions: 0 (expected: >= 1)");
    assertThatThrownBy(() -> AcceleratorProfile.of("x", "gpu", 1, "t"))
        .hasMessage("latency: [] (expected: at least one (batch, latency) point)");
  }
}
