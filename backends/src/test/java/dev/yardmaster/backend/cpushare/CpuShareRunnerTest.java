package dev.yardmaster.backend.cpushare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.emulated.EmulatedRunnerPacingTest;
import dev.yardmaster.protocol.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuShareRunnerTest {

  /** The wall clock (moved by the fake runner and by sleeps) and a thread-CPU clock, moved only when told. */
  static final class FakeClocks {
    final EmulatedRunnerPacingTest.FakeClock wall = new EmulatedRunnerPacingTest.FakeClock();
    long cpu = 7_000_000L;
  }

  /** "Computes" for {@code cpuNanos} of CPU over {@code wallNanos} of wall time. */
  static final class FakeRunner extends EmulatedRunnerPacingTest.FakeRunner {
    final FakeClocks clocks;
    final long cpuNanos;

    FakeRunner(FakeClocks clocks, long cpuNanos, long wallNanos) {
      super(clocks.wall, wallNanos);
      this.clocks = clocks;
      this.cpuNanos = cpuNanos;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      clocks.cpu += cpuNanos;
      return super.run(inputs, outputNames);
    }
  }

  private static final Map<String, Tensor> INPUT =
      Map.of("x", Tensor.ofFloats("x", new long[] {1, 2}, new float[2]));

  @Test
  void aQuarterShareMakesAnExecutionTakeFourTimesItsCpuTime() {
    FakeClocks clocks = new FakeClocks();
    FakeRunner real = new FakeRunner(clocks, 300_000, 300_000);
    CpuShareRunner runner = new CpuShareRunner(real, new CpuShare(0.25), clocks.wall, () -> clocks.cpu);
    long start = clocks.wall.now;

    List<Tensor> outputs = runner.run(INPUT, List.of("y"));

    assertThat(outputs).isSameAs(real.outputs);
    assertThat(clocks.wall.now - start).isEqualTo(1_200_000);
    assertThat(clocks.wall.sleeps).containsExactly(900_000L);
  }

  @Test
  void onlyCpuTimeCountsSoAnExecutionPreemptedByOtherThreadsWaitsLess() {
    FakeClocks clocks = new FakeClocks();
    // 300 us of CPU stretched over 1 ms of wall time by other threads on the core
    CpuShareRunner runner = new CpuShareRunner(new FakeRunner(clocks, 300_000, 1_000_000), new CpuShare(0.25),
        clocks.wall, () -> clocks.cpu);
    long start = clocks.wall.now;

    runner.run(INPUT, List.of("y"));

    assertThat(clocks.wall.now - start).isEqualTo(1_200_000);
    assertThat(clocks.wall.sleeps).containsExactly(200_000L);
  }

  @Test
  void anExecutionThatAlreadyTookLongerDoesNotWait() {
    FakeClocks clocks = new FakeClocks();
    CpuShareRunner runner = new CpuShareRunner(new FakeRunner(clocks, 100_000, 900_000), new CpuShare(0.5),
        clocks.wall, () -> clocks.cpu);

    runner.run(INPUT, List.of("y"));

    assertThat(clocks.wall.sleeps).isEmpty();
  }

  @Test
  void theWholeCoreFactoryIsTheWrappedFactory() {
    FakeClocks clocks = new FakeClocks();
    dev.yardmaster.backend.RunnerFactory real = (spec, file) -> new FakeRunner(clocks, 1, 1);

    assertThat(CpuShareRunnerFactory.of(real, CpuShare.WHOLE_CORE)).isSameAs(real);
    assertThat(CpuShareRunnerFactory.of(real, new CpuShare(0.5))).isInstanceOf(CpuShareRunnerFactory.class);
  }

  @Test
  void kindNamesTheShareAndCloseClosesTheWrappedRunner() {
    FakeClocks clocks = new FakeClocks();
    FakeRunner real = new FakeRunner(clocks, 1, 1);
    CpuShareRunner runner = new CpuShareRunner(real, new CpuShare(0.2), clocks.wall, () -> clocks.cpu);

    assertThat(runner.kind()).isEqualTo("onnxruntime-cpu (cpu share 0.2)");
    runner.close();
    assertThat(real.closed).isTrue();
  }

  @Test
  void aShareOutsideZeroToOneIsRefusedNamingTheKey() {
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> new CpuShare(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cpu_share: " + bad + " (expected: > 0 and <= 1)");
    }
    assertThat(new CpuShare(1).limits()).isFalse();
    assertThat(new CpuShare(0.99).limits()).isTrue();
  }

  @Test
  void theJvmMeasuresThreadCpuTime() {
    long before = ThreadCpu.clock().getAsLong();
    double sink = 0;
    for (int i = 0; i < 2_000_000; i++) {
      sink += Math.sqrt(i);
    }
    assertThat(sink).isPositive();
    assertThat(ThreadCpu.clock().getAsLong()).isGreaterThan(before);
  }
}
